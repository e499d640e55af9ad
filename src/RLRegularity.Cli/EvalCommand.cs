using System.CommandLine;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.Rendering;
using RLRegularity.Logging;

namespace RLRegularity.Cli;

/// <summary><c>rlreg eval</c>: greedy (or sampled) episodes of a trained run's checkpoint.</summary>
internal static class EvalCommand
{
    public static Command Build(CliContext context)
    {
        var runFolder = new Option<string>("--run") { Description = "The run folder.", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint name under checkpoints/ (default: the latest, i.e. final when finished)." };
        var episodes = new Option<int>("--episodes") { Description = "Number of episodes.", DefaultValueFactory = _ => 10, CustomParser = CliParsing.Int(1) };
        var seed = new Option<long>("--seed") { Description = "Episode i is seeded seed + i.", DefaultValueFactory = _ => 10_000, CustomParser = CliParsing.Long(0) };
        var render = new Option<bool>("--render") { Description = "Draw each step in the terminal, redrawn in place, with the action taken." };
        var frameDelay = new Option<int>("--frame-delay")
        {
            Description = "Milliseconds between --render frames (0: as fast as possible).", DefaultValueFactory = _ => 50, CustomParser = CliParsing.Int(0, 10_000),
            HelpName = "ms",
        };
        var stochastic = new Option<bool>("--stochastic")
        {
            Description = "Sample actions as in training (PPO: from the policy's distribution; DQN: ε-greedy with the final ε) instead of acting greedily.",
        };
        var gif = new Option<string>("--gif")
        {
            Description = "Record the first episode as an animated GIF at the environment's frame rate (CartPole and Acrobot drawn as Gymnasium draws them, MiniGrid in its tiles).",
            HelpName = "FILE",
        };
        var mp4 = new Option<string>("--mp4")
        {
            Description = "Record the first episode as an H.264 MP4 at the environment's frame rate, drawn as for --gif (needs ffmpeg on PATH).",
            HelpName = "FILE",
        };
        var command = new Command("eval", "Run greedy (or sampled) episodes of a trained agent and print mean ± std of return and length.")
        {
            runFolder, checkpoint, episodes, seed, render, frameDelay, stochastic, gif, mp4,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(runFolder)!;
            if (!Directory.Exists(folder)) throw new CliUsageException($"--run: the folder '{folder}' does not exist");
            (RunSettings settings, var agentConfig) = TrainingRun.ReadConfig(folder);
            string? path = parse.GetValue(checkpoint) is { } name ? Path.Combine(folder, "checkpoints", name) : TrainingRun.LatestCheckpoint(folder);
            if (path is null || !Directory.Exists(path)) throw new CliUsageException($"{folder} has no checkpoint{(path is null ? "" : $" named '{Path.GetFileName(path)}'")}");
            string? gifPath = parse.GetValue(gif);
            if (gifPath is not null) OutputLocation.EnsureFileCanBeWritten(gifPath, "--gif");
            string? mp4Path = parse.GetValue(mp4);
            if (mp4Path is not null) OutputLocation.EnsureFileCanBeWritten(mp4Path, "--mp4");
            TorchRuntime.Initialize(1);
            using ILearner learner = AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
            learner.LoadCheckpoint(path);
            using IEnv env = EnvRegistry.Make(settings.Env);
            IRenderableEnv? renderable = env.Find<IRenderableEnv>();
            if (gifPath is not null && renderable is null) throw new CliUsageException($"--gif: {settings.Env} cannot be drawn");
            if (mp4Path is not null && renderable is null) throw new CliUsageException($"--mp4: {settings.Env} cannot be drawn");
            using GifRecording? recording = gifPath is null ? null : new GifRecording(renderable!.RenderFps);
            using Mp4Recording? video = mp4Path is null ? null : Mp4Recording.Start(mp4Path, renderable!.RenderFps);
            void Record(bool first)
            {
                if (!first) return;
                if (recording is not null || video is not null)
                {
                    RgbImage frame = renderable!.Render();
                    recording?.Add(frame);
                    video?.Add(frame);
                }
            }
            int n = parse.GetValue(episodes);
            bool sampled = parse.GetValue(stochastic);
            var returns = new double[n];
            var lengths = new int[n];
            bool draw = parse.GetValue(render);
            int delay = parse.GetValue(frameDelay);
            if (draw) context.Output.Write(TerminalRendering.Start);
            for (int i = 0; i < n; i++)
            {
                float[] obs = env.Reset(parse.GetValue(seed) + i).Observation;
                bool recorded = i == 0;
                Record(recorded);
                while (true)
                {
                    int action = learner.Policy.Act(obs, deterministic: !sampled);
                    StepResult r = env.Step(action);
                    Record(recorded);
                    returns[i] += r.Reward;
                    lengths[i]++;
                    if (draw)
                    {
                        context.Output.Write(TerminalRendering.Frame(TerminalRendering.Render(env, i, lengths[i], returns[i], action)));
                        context.Output.Flush();
                        if (delay > 0) Thread.Sleep(delay);
                    }
                    if (r.Done) break;
                    obs = r.Observation;
                }
            }
            if (recording is not null && gifPath is not null)
            {
                recording.Save(gifPath);
                context.Error.WriteLine($"recorded episode 1 ({recording.Frames} frames) in {gifPath}");
            }
            if (video is not null)
            {
                video.Save();
                context.Error.WriteLine($"recorded episode 1 ({video.Frames} frames) in {mp4Path}");
            }
            EpisodeBatchSummary s = EpisodeBatchSummary.From(returns, lengths);
            context.Output.WriteLine($"{settings.Agent} on {settings.Env}, checkpoint {Path.GetFileName(path)}, {n} {(sampled ? "sampled" : "greedy")} episodes");
            context.Output.WriteLine($"  return  {s.MeanReturn,10:F2} ± {s.StdReturn:F2}");
            context.Output.WriteLine($"  length  {s.MeanLength,10:F2} ± {s.StdLength:F2}");
            JsonOutput.WriteLine(context.Output, w =>
            {
                w.WriteString("run", folder);
                w.WriteString("checkpoint", Path.GetFileName(path));
                w.WriteNumber("episodes", n);
                w.WriteString("policy", sampled ? "stochastic" : "greedy");
                w.WriteNumber("mean_return", s.MeanReturn);
                w.WriteNumber("std_return", s.StdReturn);
                w.WriteNumber("mean_length", s.MeanLength);
                w.WriteNumber("std_length", s.StdLength);
            });
            return 0;
        });
        return command;
    }
}
