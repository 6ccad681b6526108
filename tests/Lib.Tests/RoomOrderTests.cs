using System.Text.RegularExpressions;

namespace Lib.Tests;

/// <summary>
/// lib/'s rooms (its top folders, one namespace each) form an order without cycles, written once in the README's
/// layout section; each file may use only its own room and the rooms before it. Read from the sources: each file's
/// namespace, its using lines, and any fully qualified Lib.X reference in its code.
/// </summary>
public sealed partial class RoomOrderTests
{
    [GeneratedRegex(@"^\*\*Rooms, in order\*\*.*$", RegexOptions.Multiline)]
    private static partial Regex OrderLine();

    [GeneratedRegex(@"`(\w+)`")]
    private static partial Regex Room();

    [GeneratedRegex(@"^namespace Lib\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (?:static )?(?:\w+ = )?Lib\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?Lib\.(\w+)\.")]
    private static partial Regex Qualified();

    /// <summary>The rooms in the order the README gives.</summary>
    public static List<string> Order()
    {
        var readme = File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "README.md"));
        var line = OrderLine().Match(readme);
        Assert.True(line.Success, "README.md has no line starting with **Rooms, in order**");
        return Room().Matches(line.Value).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void Every_room_uses_only_itself_and_the_rooms_before_it()
    {
        var order = Order();
        var lib = Path.Combine(TestSupport.RepoRoot, "lib");
        var folders = Directory.GetDirectories(lib).Select(d => Path.GetFileName(d)!).ToList();
        Assert.True(folders.All(order.Contains), $"lib/ folders missing from the README's room order: {string.Join(", ", folders.Where(f => !order.Contains(f!)))}");
        var against = new List<string>();
        foreach (var file in Directory.GetFiles(lib, "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(TestSupport.RepoRoot, file);
            var ns = Namespace().Match(text);
            Assert.True(ns.Success, $"{relative} has no file-scoped namespace Lib.X");
            var room = ns.Groups[1].Value;
            Assert.True(relative.StartsWith(Path.Combine("lib", room) + Path.DirectorySeparatorChar), $"{relative} is in namespace Lib.{room} but not in lib/{room}/");
            var code = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("//")));
            var used = Using().Matches(text).Concat(Qualified().Matches(code)).Select(m => m.Groups[1].Value).Where(order.Contains).Distinct();
            against.AddRange(used.Where(u => order.IndexOf(u) > order.IndexOf(room)).Select(u => $"{relative}: {room} uses {u}, which comes after it"));
        }
        Assert.True(against.Count == 0, string.Join('\n', against));
    }

    [Fact]
    public void The_check_sees_a_dependency_against_the_order()
    {
        var order = Order();
        // The same reading the test applies, on a line that would make Torch use Training.
        Assert.Equal("Training", Using().Match("using Lib.Training;").Groups[1].Value);
        Assert.Equal("Training", Using().Match("using static Lib.Training.TrainingTasks;").Groups[1].Value);
        Assert.Equal("Pipelines", Qualified().Match("var s = Lib.Pipelines.Stage.Uncolored;").Groups[1].Value);
        Assert.True(order.IndexOf("Training") > order.IndexOf("Torch"));
    }
}
