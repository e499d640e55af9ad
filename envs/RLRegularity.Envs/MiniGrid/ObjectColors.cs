namespace RLRegularity.Envs.MiniGrid;

/// <summary>Names, RGB values and Minigrid's random-choice order of the <see cref="ObjectColor"/>s.</summary>
public static class ObjectColors
{
    /// <summary>
    /// The colours in the order Minigrid's <c>COLOR_NAMES</c> lists them (the names sorted alphabetically):
    /// random colour choices index this list, so that the same draw picks the same colour as in Python.
    /// </summary>
    public static IReadOnlyList<ObjectColor> ChoiceOrder { get; } =
        [ObjectColor.Blue, ObjectColor.Green, ObjectColor.Grey, ObjectColor.Purple, ObjectColor.Red, ObjectColor.Yellow];

    /// <summary>The lower-case name Minigrid uses in missions (e.g. "purple").</summary>
    public static string Name(ObjectColor color) => color switch
    {
        ObjectColor.Red => "red",
        ObjectColor.Green => "green",
        ObjectColor.Blue => "blue",
        ObjectColor.Purple => "purple",
        ObjectColor.Yellow => "yellow",
        ObjectColor.Grey => "grey",
        _ => throw new ArgumentOutOfRangeException(nameof(color), color, "not a Minigrid colour"),
    };

    /// <summary>Parses a lower-case colour name; false if it is not one of the six.</summary>
    public static bool TryParse(string name, out ObjectColor color)
    {
        for (int i = 0; i < 6; i++)
        {
            if (Name((ObjectColor)i) == name)
            {
                color = (ObjectColor)i;
                return true;
            }
        }
        color = default;
        return false;
    }

    /// <summary>Minigrid's <c>COLORS</c> RGB triple of a colour (used by the tile renderer).</summary>
    public static (byte R, byte G, byte B) Rgb(ObjectColor color) => color switch
    {
        ObjectColor.Red => (255, 0, 0),
        ObjectColor.Green => (0, 255, 0),
        ObjectColor.Blue => (0, 0, 255),
        ObjectColor.Purple => (112, 39, 195),
        ObjectColor.Yellow => (255, 255, 0),
        ObjectColor.Grey => (100, 100, 100),
        _ => throw new ArgumentOutOfRangeException(nameof(color), color, "not a Minigrid colour"),
    };
}
