using System.Diagnostics;
using System.Globalization;

namespace Lib.Training;

/// <summary>
/// Progress lines for long loops: "step 40/100  loss 0.1234  85.3 img/s  320 steps/min  ETA 0:12". Prints every
/// <c>every</c> steps and at the end, to a writer (the notebook's output by default). With a wall-clock
/// budget the ETA is whichever ends first: the remaining steps or the remaining budget.
/// </summary>
public sealed class Progress(string label, long total, int every = 10, TextWriter? output = null, long start = 0, TimeSpan? budgetLeft = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TextWriter _out = output ?? Console.Out;
    private long _items;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Items (images) per second so far.</summary>
    public double Rate => _items / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);

    /// <summary>Records that step <paramref name="step"/> (1-based) finished, having processed <paramref name="items"/> images.</summary>
    public void Report(long step, long items, params (string name, double value)[] metrics)
    {
        _items += items;
        if (step % every != 0 && step != total) return;
        var doneHere = Math.Max(1, step - start);
        var remaining = _clock.Elapsed.TotalSeconds / doneHere * (total - step);
        var budgetBound = false;
        if (budgetLeft is { } b && b.TotalSeconds - _clock.Elapsed.TotalSeconds < remaining)
            (remaining, budgetBound) = (Math.Max(0, b.TotalSeconds - _clock.Elapsed.TotalSeconds), true);
        var parts = metrics.Select(m => $"{m.name} {m.value.ToString("0.####", CultureInfo.InvariantCulture)}");
        var stepsPerMinute = doneHere / Math.Max(1e-9, _clock.Elapsed.TotalMinutes);
        _out.WriteLine($"{label} {step}/{total}  {string.Join("  ", parts)}  {Rate.ToString("0.0", CultureInfo.InvariantCulture)} img/s  " +
                       $"{stepsPerMinute.ToString(stepsPerMinute < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)} steps/min  " +
                       (step == total ? $"done in {Format(_clock.Elapsed.TotalSeconds)}" : $"ETA {Format(remaining)}{(budgetBound ? " (budget)" : "")}"));
    }

    public static string Format(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
    }
}
