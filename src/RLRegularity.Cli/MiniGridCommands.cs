using System.CommandLine;
using System.Text.Json;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Envs.MiniGrid.Rendering;
using RLRegularity.Envs.Rendering;
using RLRegularity.Logging;

namespace RLRegularity.Cli;

/// <summary><c>rlreg env obs|step|render</c>: MiniGrid situations from a JSON grid description or a text map, and level renderings.</summary>
internal static class MiniGridCommands
{
    /// <summary>Adds the MiniGrid verbs under <c>rlreg env</c>.</summary>
    public static void AddTo(Command env, CliContext context)
    {
        env.Subcommands.Add(BuildObs(context));
        env.Subcommands.Add(BuildStep(context));
        env.Subcommands.Add(BuildRender(context));
    }

    private sealed record LevelOptions(Option<string> Grid, Option<string> Layout, Option<string> SeeThroughWalls);

    private static LevelOptions AddLevelOptions(Command command)
    {
        var grid = new Option<string>("--grid") { Description = "JSON grid description (the shape of a Minigrid fixture's 'grid' object)." };
        var layout = new Option<string>("--layout") { Description = "Text map (format in docs/minigrid-levels.md)." };
        var seeThrough = new Option<string>("--see-through-walls")
        {
            Description = "auto: as the mission's Minigrid family (Empty, DistShift, GoToDoor, GoToObject, PutNear, Fetch see through walls); true; false.",
            DefaultValueFactory = _ => "auto",
        };
        CliParsing.OneOf(seeThrough, "auto", "true", "false");
        command.Options.Add(grid);
        command.Options.Add(layout);
        command.Options.Add(seeThrough);
        return new LevelOptions(grid, layout, seeThrough);
    }

    private static LevelEnv? LoadLevel(ParseResult parse, LevelOptions options, bool required)
    {
        string? grid = parse.GetValue(options.Grid), layout = parse.GetValue(options.Layout);
        if (grid is not null && layout is not null) throw new CliUsageException("give either --grid or --layout, not both");
        if (grid is null && layout is null)
        {
            return required ? throw new CliUsageException("give the situation with --grid FILE (JSON grid description) or --layout FILE (text map)") : null;
        }
        string path = (grid ?? layout)!;
        if (!File.Exists(path)) throw new CliUsageException($"{(grid is not null ? "--grid" : "--layout")}: file '{path}' does not exist");
        string text = File.ReadAllText(path);
        MiniGridLevel level = grid is not null ? GridDescriptionJson.Parse(text, path) : TextLevel.Parse(text, path);
        bool? seeThrough = parse.GetValue(options.SeeThroughWalls) switch { "true" => true, "false" => false, _ => null };
        var env = new LevelEnv(level, seeThroughWalls: seeThrough);
        env.Reset();
        return env;
    }

    private static Command BuildObs(CliContext context)
    {
        var command = new Command("obs", "Print Minigrid's observation of a situation as JSON: image[y][x] = [object, colour, state] (rows first), direction, mission.");
        LevelOptions options = AddLevelOptions(command);
        command.SetAction(parse =>
        {
            using LevelEnv env = LoadLevel(parse, options, required: true)!;
            var obs = new float[env.ObservationSpace.FlatSize];
            env.WriteObservation(obs);
            JsonOutput.WriteLine(context.Output, w =>
            {
                WriteImage(w, obs, env.AgentViewSize);
                w.WriteNumber("direction", env.AgentDirection);
                w.WriteString("mission", env.Mission);
            });
            return 0;
        });
        return command;
    }

    // The image rows first (image[y][x]) as the fixtures store it, from the buffer's image[x, y, c] order.
    private static void WriteImage(Utf8JsonWriter w, float[] obs, int size)
    {
        w.WriteStartArray("image");
        for (int y = 0; y < size; y++)
        {
            w.WriteStartArray();
            for (int x = 0; x < size; x++)
            {
                w.WriteStartArray();
                for (int c = 0; c < 3; c++) w.WriteNumberValue((int)obs[(x * size + y) * 3 + c]);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static Command BuildStep(CliContext context)
    {
        var action = new Option<int>("--action") { Description = "Action: 0 left, 1 right, 2 forward, 3 pickup, 4 drop, 5 toggle, 6 done.", Required = true, CustomParser = CliParsing.Int(0, 6) };
        var command = new Command("step", "Take one action from a situation and print reward, terminated, truncated and the grid description afterwards as JSON.") { action };
        LevelOptions options = AddLevelOptions(command);
        command.SetAction(parse =>
        {
            using LevelEnv env = LoadLevel(parse, options, required: true)!;
            StepResult r = env.Step(parse.GetValue(action));
            JsonOutput.WriteLine(context.Output, w =>
            {
                w.WriteNumber("reward", r.Reward);
                w.WriteBoolean("terminated", r.Terminated);
                w.WriteBoolean("truncated", r.Truncated);
                w.WriteStartObject("after");
                GridDescriptionJson.WriteProperties(w, env);
                w.WriteEndObject();
            });
            return 0;
        });
        return command;
    }

    private static Command BuildRender(CliContext context)
    {
        var envOption = EnvCommand.EnvOption(required: false);
        var seed = new Option<long>("--seed") { Description = "Seed of the reset that generates the level.", DefaultValueFactory = _ => 0, CustomParser = CliParsing.Long(0) };
        var png = new Option<string>("--png") { Description = "Write an RGB rendering (Minigrid's tiles, the agent's view highlighted) to this PNG file instead of printing." };
        var tile = new Option<int>("--tile-size") { Description = "Pixels per cell of the PNG.", DefaultValueFactory = _ => TileRenderer.DefaultTileSize, CustomParser = CliParsing.Int(4, 256) };
        var command = new Command("render", "Print a MiniGrid level (text-map glyphs) with the agent's view, or write it as a PNG.") { envOption, seed, png, tile };
        LevelOptions options = AddLevelOptions(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(png) is { } pngFile) OutputLocation.EnsureFileCanBeWritten(pngFile, "--png");
            using LevelEnv? level = LoadLevel(parse, options, required: false);
            string? id = parse.GetValue(envOption);
            if (level is not null && id is not null) throw new CliUsageException("give either --env or --grid/--layout, not both");
            IEnv? made = null;
            try
            {
                IMiniGridEnv world;
                if (level is not null)
                {
                    world = level;
                }
                else
                {
                    if (id is null) throw new CliUsageException("give --env ID (with --seed) or a level with --grid/--layout");
                    made = EnvRegistry.Make(id);
                    world = made.Find<IMiniGridEnv>() ?? throw new CliUsageException($"{id} is not a MiniGrid environment");
                    made.Reset(parse.GetValue(seed));
                }
                string? pngPath = parse.GetValue(png);
                if (pngPath is not null)
                {
                    RgbImage image = TileRenderer.RenderFull(world, parse.GetValue(tile), highlight: true);
                    PngWriter.Write(pngPath, image);
                    JsonOutput.WriteLine(context.Output, w =>
                    {
                        w.WriteString("png", pngPath);
                        w.WriteNumber("width", image.Width);
                        w.WriteNumber("height", image.Height);
                    });
                    return 0;
                }
                context.Output.WriteLine($"mission: {world.Mission}");
                context.Output.Write(AsciiRenderer.RenderGrid(world));
                context.Output.WriteLine("agent's view:");
                context.Output.Write(AsciiRenderer.RenderView(world));
                return 0;
            }
            finally
            {
                made?.Dispose();
            }
        });
        return command;
    }
}
