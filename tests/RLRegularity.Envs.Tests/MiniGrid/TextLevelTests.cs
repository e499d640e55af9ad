using RLRegularity.Envs.MiniGrid;

namespace RLRegularity.Envs.Tests.MiniGrid;

public sealed class TextLevelTests
{
    private const string Level = """
        ; every kind of cell
        mission: pick up the red key
        max_steps: 99
        step_count: 3
        carrying: green ball
        contains: 5 1 red key
        ##############
        ##>>..KyAbBp##
        ##DrLgOb..Fe##
        ##VV..GGWy..##
        ##############
        """;

    [Fact]
    public void ParsesEveryKindOfCellAndHeader()
    {
        MiniGridLevel level = TextLevel.Parse(Level);
        Grid g = level.Grid;
        Assert.Equal((7, 5), (g.Width, g.Height));
        Assert.Equal(new GridPosition(1, 1), level.AgentPosition);
        Assert.Equal(0, level.AgentDirection);
        Assert.Equal("pick up the red key", level.Mission);
        Assert.Equal(99, level.MaxSteps);
        Assert.Equal(3, level.StepCount);
        Assert.Equal(WorldObject.Ball(ObjectColor.Green), level.Carrying);
        Assert.Equal(WorldObject.Wall(), g.Get(0, 0));
        Assert.Equal(WorldObject.Key(ObjectColor.Yellow), g.Get(3, 1));
        Assert.Equal(WorldObject.Ball(ObjectColor.Blue), g.Get(4, 1));
        Assert.Equal(WorldObject.Box(ObjectColor.Purple), g.Get(5, 1));
        Assert.Equal(WorldObject.Door(ObjectColor.Red, DoorState.Closed), g.Get(1, 2));
        Assert.Equal(WorldObject.Door(ObjectColor.Green, DoorState.Locked), g.Get(2, 2));
        Assert.Equal(WorldObject.Door(ObjectColor.Blue, DoorState.Open), g.Get(3, 2));
        Assert.Equal(WorldObject.Floor(ObjectColor.Grey), g.Get(5, 2));
        Assert.Equal(WorldObject.Lava, g.Get(1, 3));
        Assert.Equal(WorldObject.Goal, g.Get(3, 3));
        Assert.Equal(WorldObject.Wall(ObjectColor.Yellow), g.Get(4, 3));
        Assert.True(g.Get(2, 1).IsNone);
        Assert.Equal(WorldObject.Key(ObjectColor.Red), g.ContentsAt(5, 1));
    }

    [Fact]
    public void WriteParsesBackToTheSameLevel()
    {
        using var env = new LevelEnv(TextLevel.Parse(Level));
        env.Reset();
        string written = TextLevel.Write(env);
        using var again = new LevelEnv(TextLevel.Parse(written));
        again.Reset();
        Assert.Equal(written, TextLevel.Write(again));
    }

    [Fact]
    public void BoxContentsComeOutWhenToggled()
    {
        string text = "contains: 2 1 red key\n##########\n##>>Bp..##\n##......##\n##########\n";
        using var env = new LevelEnv(TextLevel.Parse(text));
        env.Reset();
        env.Step((int)MiniGridAction.Toggle);
        Assert.Equal(WorldObject.Key(ObjectColor.Red), env.Grid.Get(2, 1));
    }

    [Fact]
    public void AgentHeaderPlacesTheAgentOnAnOpenDoor()
    {
        MiniGridLevel level = TextLevel.Parse("agent: 2 1 up\n##########\n##..Ob..##\n##......##\n##########\n");
        Assert.Equal(new GridPosition(2, 1), level.AgentPosition);
        Assert.Equal(3, level.AgentDirection);
        Assert.Equal(TextLevel.DefaultMission, level.Mission);
        Assert.Equal(4 * 5 * 4, level.MaxSteps);
    }

    [Theory]
    [InlineData("######\n##>>Xq\n######\n", "level:2:5: unknown cell 'Xq'")]
    [InlineData("######\n##>>.\n######\n", "level:2:5: a map row has two characters per cell")]
    [InlineData("########\n##>>..##\n######\n", "level:3:7: this row has 3 cells but the first row has 4")]
    [InlineData("######\n##..##\n######\n", "the map has no agent")]
    [InlineData("########\n##>><<##\n########\n", "level:2:5: a second agent")]
    [InlineData("speed: 3\n######\n##>>##\n######\n", "level:1:1: unknown header 'speed'")]
    [InlineData("max_steps: -4\n######\n##>>##\n######\n", "level:1:12: max_steps must be a positive integer")]
    [InlineData("carrying: red door\n######\n##>>##\n######\n", "cannot be carried")]
    [InlineData("agent: 0 0 up\n######\n##..##\n######\n", "would stand on a grey wall")]
    [InlineData("contains: 1 1 red key\n######\n##>>##\n######\n", "level:1:1: 'contains' names cell (1, 1)")]
    [InlineData("####\n##>>\n", "at least 3x3")]
    public void ErrorsNameLineColumnAndFix(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => TextLevel.Parse(text));
        Assert.Contains(expected, e.Message);
    }
}
