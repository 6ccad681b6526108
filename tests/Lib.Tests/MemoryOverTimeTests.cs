using System.Globalization;

namespace Lib.Tests;

/// <summary>
/// 2,000 training steps in a fresh process (tests/FaultChild soak, ~16 s): after warm-up the live-tensor count
/// stays where it was — one tensor leaked per step would add 1,800. The resident set size is sampled too and
/// printed; its curve is in bench/memory/ (bench/README.md says how to draw it again).
/// </summary>
public sealed class MemoryOverTimeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-soak-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Two_thousand_training_steps_keep_the_live_tensor_count_flat()
    {
        var csv = Path.Combine(_dir, "soak.csv");
        Child.RunToEnd(["soak", "2000", Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos"), csv]);
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(2000, rows[^1][0]);
        var warm = rows.Where(r => r[0] >= 200).ToList();
        var (low, high) = (warm.Min(r => r[1]), warm.Max(r => r[1]));
        // The loader's prefetched batches come and go, so the count moves by a few tensors; a leak grows without end.
        Assert.True(high - low <= 8, $"the live-tensor count ranged over {low}..{high} after warm-up");
        var rssAt = (double step) => rows.First(r => r[0] >= step)[2];
        Console.WriteLine($"live tensors {low}..{high}; RSS {rows[0][2]} MiB at step 1, {rssAt(500)} at 500, {rows[^1][2]} at 2000");
    }
}
