using System.Text.RegularExpressions;

namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>
/// Recognises the mission strings of Minigrid's families and returns the rules they add, so that a level loaded from
/// a file (JSON description or text map) behaves as the family it came from.
/// </summary>
public static partial class MissionTasks
{
    private const string Color = "(red|green|blue|purple|yellow|grey)";
    private const string Thing = "(key|ball|box)";

    [GeneratedRegex($"^go to the {Color} door$")]
    private static partial Regex GoToDoor();

    [GeneratedRegex($"^go to the {Color} {Thing}$")]
    private static partial Regex GoToObject();

    [GeneratedRegex($"^pick up the {Color} {Thing}$")]
    private static partial Regex PickUp();

    [GeneratedRegex($"^put the {Color} {Thing} near the {Color} {Thing}$")]
    private static partial Regex PutNear();

    [GeneratedRegex($"^(?:get a|go get a|fetch a|go fetch a|you must fetch a) {Color} {Thing}$")]
    private static partial Regex Fetch();

    /// <summary>The task of <paramref name="mission"/>; missions without extra rules (goal squares) give <see cref="MissionTask.ReachGoal"/>.</summary>
    public static MissionTask FromMission(string mission)
    {
        Match m;
        if ((m = GoToDoor().Match(mission)).Success) return new GoToDoorTask(ParseColor(m.Groups[1].Value));
        if ((m = GoToObject().Match(mission)).Success) return new GoToObjectTask(ParseType(m.Groups[2].Value), ParseColor(m.Groups[1].Value));
        if ((m = PickUp().Match(mission)).Success) return new PickUpTask(ParseType(m.Groups[2].Value), ParseColor(m.Groups[1].Value));
        if ((m = PutNear().Match(mission)).Success)
        {
            return new PutNearTask(ParseType(m.Groups[2].Value), ParseColor(m.Groups[1].Value),
                                   ParseType(m.Groups[4].Value), ParseColor(m.Groups[3].Value));
        }
        if ((m = Fetch().Match(mission)).Success) return new FetchTask(ParseType(m.Groups[2].Value), ParseColor(m.Groups[1].Value));
        if (mission == "open the door") return new OpenDoorTask();
        if (mission == "open the red door then the blue door") return new RedBlueDoorsTask();
        if (mission == "go to the matching object at the end of the hallway") return new MemoryTask();
        return MissionTask.ReachGoal;
    }

    /// <summary>
    /// Whether the family that words its mission as <paramref name="mission"/> sets <c>see_through_walls=True</c>:
    /// Empty, DistShift and Dynamic-Obstacles ("get to the green goal square"), GoToDoor, GoToObject, PutNear and
    /// Fetch do (Minigrid sets it "for maximum speed"); every other family keeps Minigrid's default, false.
    /// </summary>
    public static bool SeesThroughWalls(string mission) =>
        mission == "get to the green goal square" || GoToDoor().IsMatch(mission) || GoToObject().IsMatch(mission)
        || PutNear().IsMatch(mission) || Fetch().IsMatch(mission);

    private static ObjectColor ParseColor(string name) => ObjectColors.TryParse(name, out ObjectColor c) ? c : throw new ArgumentException($"unknown colour '{name}'");

    private static ObjectType ParseType(string name) => name switch
    {
        "key" => ObjectType.Key,
        "ball" => ObjectType.Ball,
        "box" => ObjectType.Box,
        "door" => ObjectType.Door,
        _ => throw new ArgumentException($"unknown object '{name}'"),
    };
}
