using System.Runtime.CompilerServices;
using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Envs.NonStationary;

namespace RLRegularity.Envs;

/// <summary>
/// Registers the environments this assembly ships (classic control, MiniGrid, the designed non-stationary tasks) in
/// <see cref="Core.EnvRegistry"/> when the assembly loads, so the registry in Core knows none of its families and a
/// new family adds one line here.
/// </summary>
internal static class BuiltInEnvironments
{
    // CA2255 warns libraries off module initializers because they run on load, unasked; here that is the point: the
    // registry is complete before any id is looked up, without Core naming the families. Registering is cheap (no env is built).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        ClassicControlEnvs.Register();
        MiniGridEnvs.Register();
        NonStationaryTasks.Register();
    }
}
