using RLRegularity.Envs.MiniGrid;
using static RLRegularity.Envs.Tests.MiniGrid.Worlds.WorldChecks;

namespace RLRegularity.Envs.Tests.MiniGrid.Worlds;

/// <summary>For each family, a few seeds and the invariants its generator promises.</summary>
public sealed class FamilyTests
{
    [Fact]
    public void EmptyHasTheGoalInTheFarCornerAndTheAgentTopLeft()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-Empty-8x8-v0", seed);
            Assert.Equal(new GridPosition(6, 6), Single(env.Grid, ObjectType.Goal).Pos);
            Assert.Equal((new GridPosition(1, 1), 0), (env.AgentPosition, env.AgentDirection));
            Assert.Equal(4 * 8 * 8, env.MaxSteps);
            Assert.Equal("get to the green goal square", env.Mission);
            MiniGridEnv random = Make("MiniGrid-Empty-Random-6x6-v0", seed);
            Assert.True(random.Grid.Get(random.AgentPosition).IsNone);
        }
    }

    [Fact]
    public void DoorKeySplitsTheRoomWithALockedDoorAndKeepsTheKeyOnTheAgentsSide()
    {
        foreach (string id in (string[])["MiniGrid-DoorKey-5x5-v0", "MiniGrid-DoorKey-8x8-v0", "MiniGrid-DoorKey-16x16-v0"])
        {
            foreach (long seed in Seeds)
            {
                MiniGridEnv env = Make(id, seed);
                Grid g = env.Grid;
                var (doorPos, door) = Single(g, ObjectType.Door);
                Assert.Equal(WorldObject.Door(ObjectColor.Yellow, DoorState.Locked), door);
                for (int y = 0; y < g.Height; y++)
                {
                    if (y != doorPos.Y) Assert.Equal(ObjectType.Wall, g.Get(doorPos.X, y).Type);
                }
                var (keyPos, key) = Single(g, ObjectType.Key);
                Assert.Equal(ObjectColor.Yellow, key.Color);
                Assert.True(keyPos.X < doorPos.X && env.AgentPosition.X < doorPos.X);
                Assert.Equal(new GridPosition(g.Width - 2, g.Height - 2), Single(g, ObjectType.Goal).Pos);
                Assert.True(Reachable(g, env.AgentPosition, keyPos, OpenNoDoors));
                // The key may stand in the way to the door (a one-cell-wide side): it is picked up first anyway.
                Assert.True(Reachable(g, env.AgentPosition, doorPos, o => OpenNoDoors(o) || o.Type == ObjectType.Key));
                Assert.True(Reachable(g, env.AgentPosition, new(g.Width - 2, g.Height - 2), o => Open(o) || o.Type == ObjectType.Key));
                Assert.Equal(10 * g.Width * g.Width, env.MaxSteps);
            }
        }
    }

    [Fact]
    public void RedBlueDoorsPutsRedLeftAndBlueRightOfTheAgentsRoom()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-RedBlueDoors-6x6-v0", seed);
            Assert.Equal((12, 6), (env.Width, env.Height));
            GridPosition red = Assert.Single(All(env.Grid, o => o == WorldObject.Door(ObjectColor.Red))).Pos;
            GridPosition blue = Assert.Single(All(env.Grid, o => o == WorldObject.Door(ObjectColor.Blue))).Pos;
            Assert.Equal(3, red.X);
            Assert.Equal(8, blue.X);
            Assert.InRange(env.AgentPosition.X, 4, 7);
            Assert.Equal(20 * 36, env.MaxSteps);
        }
        // Opening blue first fails; red then blue succeeds.
        using var level = new LevelEnv(TextLevel.Parse("mission: open the red door then the blue door\n##########\nDr<<..>>Db\n##########\n".Replace("..>>", "....")));
        level.Reset();
        var r = level.Step((int)MiniGridAction.Toggle);
        Assert.False(r.Terminated);
        level.Step((int)MiniGridAction.Right);
        level.Step((int)MiniGridAction.Right);
        level.Step((int)MiniGridAction.Forward);
        level.Step((int)MiniGridAction.Forward);
        r = level.Step((int)MiniGridAction.Toggle);
        Assert.True(r.Terminated);
        Assert.True(r.Reward > 0);
    }

    [Fact]
    public void LavaGapHasOneGapInItsLavaColumn()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-LavaGapS7-v0", seed);
            var lava = All(env.Grid, o => o.Type == ObjectType.Lava);
            Assert.Equal(4, lava.Count);
            Assert.Single(lava.Select(l => l.Pos.X).Distinct());
            Assert.True(Reachable(env.Grid, env.AgentPosition, new(5, 5), OpenNoDoors));
            Assert.Equal((new GridPosition(1, 1), 0), (env.AgentPosition, env.AgentDirection));
        }
    }

    [Fact]
    public void DistShiftVariantsDifferOnlyInTheSecondStrip()
    {
        MiniGridEnv one = Make("MiniGrid-DistShift1-v0", 0), two = Make("MiniGrid-DistShift2-v0", 0);
        Assert.Equal(6, All(one.Grid, o => o.Type == ObjectType.Lava).Count);
        Assert.All(All(one.Grid, o => o.Type == ObjectType.Lava), l => Assert.Contains(l.Pos.Y, (int[])[1, 2]));
        Assert.All(All(two.Grid, o => o.Type == ObjectType.Lava), l => Assert.Contains(l.Pos.Y, (int[])[1, 5]));
        Assert.Equal(new GridPosition(7, 1), Single(one.Grid, ObjectType.Goal).Pos);
    }

    [Fact]
    public void FourRoomsAndMultiRoomGoalsAreReachable()
    {
        foreach (long seed in Seeds)
        {
            foreach (string id in (string[])["MiniGrid-FourRooms-v0", "MiniGrid-MultiRoom-N2-S4-v0", "MiniGrid-MultiRoom-N6-v0"])
            {
                MiniGridEnv env = Make(id, seed);
                Assert.True(Reachable(env.Grid, env.AgentPosition, Single(env.Grid, ObjectType.Goal).Pos, Open), $"{id} seed {seed}");
            }
            MiniGridEnv six = Make("MiniGrid-MultiRoom-N6-v0", seed);
            Assert.Equal(5, All(six.Grid, o => o.Type == ObjectType.Door).Count);
        }
    }

    [Fact]
    public void RoomGridFamiliesPutTheKeyWithTheAgentAndTheTargetBehindTheLockedDoor()
    {
        foreach (long seed in Seeds)
        {
            foreach (string id in (string[])["MiniGrid-Unlock-v0", "MiniGrid-UnlockPickup-v0", "MiniGrid-BlockedUnlockPickup-v0", "MiniGrid-KeyCorridorS3R3-v0", "MiniGrid-KeyCorridorS6R3-v0"])
            {
                MiniGridEnv env = Make(id, seed);
                Grid g = env.Grid;
                var locked = Assert.Single(All(g, o => o.Type == ObjectType.Door && o.DoorState == DoorState.Locked));
                var key = Assert.Single(All(g, o => o.Type == ObjectType.Key));
                Assert.Equal(locked.Obj.Color, key.Obj.Color);
                Assert.True(Reachable(g, env.AgentPosition, key.Pos, o => OpenNoDoors(o) || o is { Type: ObjectType.Door, DoorState: DoorState.Closed }), $"{id} seed {seed}: key");
                WorldObject front = g.Get(env.FrontPosition);
                Assert.True(front.IsNone || front.Type == ObjectType.Wall, $"{id} seed {seed}: the agent faces {front}");
                if (id == "MiniGrid-Unlock-v0") continue;
                ObjectType targetType = id.Contains("KeyCorridor") ? ObjectType.Ball : ObjectType.Box;
                var target = Assert.Single(All(g, o => o.Type == targetType));
                Assert.Equal($"pick up the {target.Obj.Describe()}", env.Mission);
                Assert.False(Reachable(g, env.AgentPosition, target.Pos, o => OpenNoDoors(o) || o is { Type: ObjectType.Door, DoorState: not DoorState.Locked }), $"{id} seed {seed}: target not locked away");
                if (id == "MiniGrid-BlockedUnlockPickup-v0") Assert.Equal(ObjectType.Ball, g.Get(locked.Pos.X - 1, locked.Pos.Y).Type);
            }
        }
    }

    [Fact]
    public void CrossingsLeaveAPathAroundTheObstacles()
    {
        foreach (long seed in Seeds)
        {
            foreach (string id in (string[])["MiniGrid-LavaCrossingS9N1-v0", "MiniGrid-LavaCrossingS11N5-v0", "MiniGrid-SimpleCrossingS9N3-v0"])
            {
                MiniGridEnv env = Make(id, seed);
                Assert.True(Reachable(env.Grid, env.AgentPosition, new(env.Width - 2, env.Height - 2), OpenNoDoors), $"{id} seed {seed}");
            }
        }
    }

    [Fact]
    public void GoToAndFetchMissionsNameObjectsThatExist()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv doors = Make("MiniGrid-GoToDoor-8x8-v0", seed);
            var all = All(doors.Grid, o => o.Type == ObjectType.Door);
            Assert.Equal(4, all.Select(d => d.Obj.Color).Distinct().Count());
            Assert.Contains(all, d => doors.Mission == $"go to the {ObjectColors.Name(d.Obj.Color)} door");

            MiniGridEnv objects = Make("MiniGrid-GoToObject-8x8-N2-v0", seed);
            var things = All(objects.Grid, o => o.CanPickup);
            Assert.Equal(2, things.Select(t => t.Obj).Distinct().Count());
            Assert.Contains(things, t => objects.Mission == $"go to the {t.Obj.Describe()}");

            MiniGridEnv near = Make("MiniGrid-PutNear-8x8-N3-v0", seed);
            var placed = All(near.Grid, o => o.CanPickup);
            Assert.Equal(3, placed.Count);
            foreach (var a in placed)
            {
                foreach (var b in placed)
                {
                    if (a.Pos != b.Pos) Assert.False(Math.Abs(a.Pos.X - b.Pos.X) <= 1 && Math.Abs(a.Pos.Y - b.Pos.Y) <= 1, "PutNear objects are placed apart");
                }
            }

            MiniGridEnv fetch = Make("MiniGrid-Fetch-8x8-N3-v0", seed);
            Assert.Matches("^(get a|go get a|fetch a|go fetch a|you must fetch a) (red|green|blue|purple|yellow|grey) (key|ball)$", fetch.Mission);
            Assert.Contains(All(fetch.Grid, o => o.CanPickup), t => fetch.Mission.EndsWith(t.Obj.Describe(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DynamicObstaclesMoveAndBumpingEndsTheEpisodeWithMinusOne()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-Dynamic-Obstacles-8x8-v0", seed);
            Assert.Equal(3, env.ActionSpace.N);
            Assert.Equal(4, All(env.Grid, o => o.Type == ObjectType.Ball).Count);
            env.Step((int)MiniGridAction.Left); // facing up: into the wall at (1, 0)
            var r = env.Step((int)MiniGridAction.Forward);
            Assert.Equal(4, All(env.Grid, o => o.Type == ObjectType.Ball).Count);
            Assert.True(r.Terminated);
            Assert.Equal(-1, r.Reward);
        }
    }

    [Fact]
    public void MemoryOffersOneKeyAndOneBallAtTheEndOfTheHallway()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-MemoryS13Random-v0", seed);
            var objects = All(env.Grid, o => o.CanPickup);
            Assert.Equal(3, objects.Count);
            Assert.All(objects, o => Assert.Equal(ObjectColor.Green, o.Obj.Color));
            var end = objects.Where(o => o.Pos.X > 4).ToList();
            Assert.Equal(2, end.Count);
            Assert.NotEqual(end[0].Obj.Type, end[1].Obj.Type);
            Assert.Equal(env.Height / 2, env.AgentPosition.Y);
        }
    }

    [Fact]
    public void LockedRoomHidesTheGoalBehindTheOnlyLockedDoorAndNamesTheKeyRoom()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-LockedRoom-v0", seed);
            var locked = Assert.Single(All(env.Grid, o => o.DoorState == DoorState.Locked && o.Type == ObjectType.Door));
            var key = Single(env.Grid, ObjectType.Key);
            Assert.Equal(locked.Obj.Color, key.Obj.Color);
            Assert.False(Reachable(env.Grid, env.AgentPosition, Single(env.Grid, ObjectType.Goal).Pos, o => OpenNoDoors(o) || o is { Type: ObjectType.Door, DoorState: DoorState.Closed }));
            Assert.StartsWith($"get the {ObjectColors.Name(key.Obj.Color)} key from the ", env.Mission);
            Assert.Equal(6, All(env.Grid, o => o.Type == ObjectType.Door).Select(d => d.Obj.Color).Distinct().Count());
        }
    }

    [Fact]
    public void ObstructedMazesHideKeysInBoxesAndBlockDoors()
    {
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-ObstructedMaze-1Dlhb-v0", seed);
            Assert.Equal("pick up the blue ball", env.Mission);
            var locked = Assert.Single(All(env.Grid, o => o.Type == ObjectType.Door));
            Assert.Equal(WorldObject.Ball(ObjectColor.Green), env.Grid.Get(locked.Pos.X - 1, locked.Pos.Y));
            var box = Single(env.Grid, ObjectType.Box);
            Assert.Equal(WorldObject.Key(locked.Obj.Color), env.Grid.ContentsAt(box.Pos.X, box.Pos.Y));
            Assert.Contains(All(env.Grid, o => o == WorldObject.Ball(ObjectColor.Blue)), b => b.Pos.X > locked.Pos.X);

            MiniGridEnv full = Make("MiniGrid-ObstructedMaze-Full-v0", seed);
            Assert.Equal(8, All(full.Grid, o => o.Type == ObjectType.Door && o.DoorState == DoorState.Locked).Count);
            // Minigrid sets each blocking ball with grid.set, which can overwrite a key box placed earlier: at most 8 remain.
            Assert.InRange(All(full.Grid, o => o.Type == ObjectType.Box).Count, 6, 8);
        }
    }

    [Fact]
    public void PlaygroundHasTwelveObjectsAndNoMission()
    {
        MiniGridEnv env = Make("MiniGrid-Playground-v0", 5);
        Assert.Equal(12, All(env.Grid, o => o.CanPickup).Count);
        Assert.Equal("", env.Mission);
    }
}
