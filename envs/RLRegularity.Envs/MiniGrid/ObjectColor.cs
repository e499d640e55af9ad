namespace RLRegularity.Envs.MiniGrid;

/// <summary>Minigrid's colour index (<c>COLOR_TO_IDX</c>): the second channel of the encoded observation.</summary>
public enum ObjectColor : byte
{
    /// <summary>Red (index 0).</summary>
    Red = 0,
    /// <summary>Green (index 1).</summary>
    Green = 1,
    /// <summary>Blue (index 2).</summary>
    Blue = 2,
    /// <summary>Purple (index 3).</summary>
    Purple = 3,
    /// <summary>Yellow (index 4).</summary>
    Yellow = 4,
    /// <summary>Grey (index 5).</summary>
    Grey = 5,
}
