namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// One object of the grid as a small value: its type, colour and state (Minigrid's three-number encoding). The default
/// value (<see cref="None"/>) means "no object"; a box's contents are kept by the <see cref="Grid"/> beside it.
/// </summary>
/// <remarks>
/// Minigrid's objects are Python instances compared by identity; every family keeps its (type, colour) pairs unique
/// where it later compares objects, so a value is enough and keeps the grid a flat array the step loop reads fast.
/// </remarks>
public readonly record struct WorldObject(ObjectType Type, ObjectColor Color, byte State)
{
    /// <summary>No object (an empty cell, or nothing carried).</summary>
    public static WorldObject None => default;

    /// <summary>A wall (grey unless said otherwise).</summary>
    public static WorldObject Wall(ObjectColor color = ObjectColor.Grey) => new(ObjectType.Wall, color, 0);

    /// <summary>A floor tile (blue unless said otherwise).</summary>
    public static WorldObject Floor(ObjectColor color = ObjectColor.Blue) => new(ObjectType.Floor, color, 0);

    /// <summary>A door of <paramref name="color"/> in <paramref name="state"/>.</summary>
    public static WorldObject Door(ObjectColor color, DoorState state = DoorState.Closed) => new(ObjectType.Door, color, (byte)state);

    /// <summary>A key (blue unless said otherwise).</summary>
    public static WorldObject Key(ObjectColor color = ObjectColor.Blue) => new(ObjectType.Key, color, 0);

    /// <summary>A ball (blue unless said otherwise).</summary>
    public static WorldObject Ball(ObjectColor color = ObjectColor.Blue) => new(ObjectType.Ball, color, 0);

    /// <summary>A box of <paramref name="color"/> (its contents are set on the grid).</summary>
    public static WorldObject Box(ObjectColor color) => new(ObjectType.Box, color, 0);

    /// <summary>The (green) goal square.</summary>
    public static WorldObject Goal => new(ObjectType.Goal, ObjectColor.Green, 0);

    /// <summary>Lava (red).</summary>
    public static WorldObject Lava => new(ObjectType.Lava, ObjectColor.Red, 0);

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Type == ObjectType.Unseen;

    /// <summary>The door's state (meaningful for doors only).</summary>
    public DoorState DoorState => (DoorState)State;

    /// <summary>Can the agent stand on it? Nothing, open doors, goal, lava and floor (<c>can_overlap</c>).</summary>
    public bool CanOverlap => Type switch
    {
        ObjectType.Unseen or ObjectType.Empty or ObjectType.Goal or ObjectType.Lava or ObjectType.Floor => true,
        ObjectType.Door => State == (byte)DoorState.Open,
        _ => false,
    };

    /// <summary>Can the agent pick it up? Keys, balls and boxes (<c>can_pickup</c>).</summary>
    public bool CanPickup => Type is ObjectType.Key or ObjectType.Ball or ObjectType.Box;

    /// <summary>Can the agent see past it? Everything but walls and closed or locked doors (<c>see_behind</c>).</summary>
    public bool SeeBehind => Type switch
    {
        ObjectType.Wall => false,
        ObjectType.Door => State == (byte)DoorState.Open,
        _ => true,
    };

    /// <summary>
    /// Builds an object from Minigrid's encoding (<c>WorldObj.decode</c>); (0|1, *, *) gives <see cref="None"/>.
    /// Throws <see cref="ArgumentException"/> naming the bad number otherwise.
    /// </summary>
    public static WorldObject Decode(int type, int color, int state)
    {
        if (type is < 0 or > 9) throw new ArgumentException($"object index {type} is not a grid object (0-9; the agent, 10, is not stored in cells)");
        if (color is < 0 or > 5) throw new ArgumentException($"colour index {color} is not a Minigrid colour (0-5)");
        if (type is 0 or 1) return None;
        if (type == (int)ObjectType.Door)
        {
            if (state is < 0 or > 2) throw new ArgumentException($"door state {state} is not open 0, closed 1 or locked 2");
        }
        else if (state != 0)
        {
            throw new ArgumentException($"state {state} given for a {(ObjectType)type}; only doors have a state (other objects use 0)");
        }
        return new((ObjectType)type, (ObjectColor)color, (byte)state);
    }

    /// <summary>The encoded type index: <see cref="ObjectType.Empty"/> for <see cref="None"/>.</summary>
    public int EncodedType => IsNone ? (int)ObjectType.Empty : (int)Type;

    /// <summary>The encoded colour index (0 for <see cref="None"/>).</summary>
    public int EncodedColor => IsNone ? 0 : (int)Color;

    /// <summary>Lower-case description as missions word it, e.g. "purple key".</summary>
    public string Describe() => $"{ObjectColors.Name(Color)} {Type.ToString().ToLowerInvariant()}";

    public override string ToString() => IsNone ? "none" : Type == ObjectType.Door ? $"{Describe()} ({DoorState})" : Describe();
}
