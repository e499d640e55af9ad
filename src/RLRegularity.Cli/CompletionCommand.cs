using System.CommandLine;

namespace RLRegularity.Cli;

/// <summary>
/// <c>rlreg completion bash|zsh</c>: a shell script that completes rlreg's verbs, options and values (env ids,
/// normalizers, agents, formats) by asking rlreg itself through System.CommandLine's <c>[suggest:POSITION]</c>
/// directive, the mechanism behind dotnet-suggest, without installing it.
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The bash script: a completion function for the command <c>rlreg</c>.</summary>
    public const string Bash = """
        # rlreg completion for bash: source it, e.g. from ~/.bashrc:  source <(rlreg completion bash)
        _rlreg_complete() {
            local IFS=$'\n' line="${COMP_LINE:0:${COMP_POINT}}" candidate
            local word="${line##* }"
            COMPREPLY=()
            # rlreg suggests what fits anywhere in a name; the shell completes what starts with the typed word.
            for candidate in $(command rlreg "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null); do
                [[ "${candidate}" == "${word}"* ]] && COMPREPLY+=("${candidate}")
            done
        }
        complete -o default -F _rlreg_complete rlreg

        """;

    /// <summary>The zsh script: a completion function for the command <c>rlreg</c>.</summary>
    public const string Zsh = """
        #compdef rlreg
        # rlreg completion for zsh: source it, e.g. from ~/.zshrc (after compinit):  source <(rlreg completion zsh)
        _rlreg() {
            local -a candidates
            candidates=("${(@f)$(command rlreg "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
            compadd -- ${candidates}
        }
        compdef _rlreg rlreg

        """;

    public static Command Build(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script for rlreg (bash or zsh); load it with: source <(rlreg completion bash)") { shell };
        command.SetAction(parse =>
        {
            context.Output.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}
