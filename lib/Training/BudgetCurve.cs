using Lib.Evaluation;
using Lib.Pipelines;
using Lib.Plots;

namespace Lib.Training;

/// <summary>
/// A ranking against training time: each run's checkpoints at its budget marks (<see cref="RunConfig.BudgetMarks"/>) scored on
/// the same test photos, one row per (run, mark) with its intervals, and a line per run of a score against the minutes —
/// where the lines stop crossing is where a ranking settles.
/// </summary>
public static class BudgetCurve
{
    /// <summary>The method name of a run's row at a mark: "pix2pix @ 4 min".</summary>
    public static string RowName(string run, double minutes) => $"{run} @ {minutes:0.##} min";

    /// <summary>Scores every mark each run has reached; <paramref name="asMethod"/> turns a loaded checkpoint into what is scored (default: the stage itself).</summary>
    public static ScoreTable Score(IEnumerable<(string name, ITrainer run)> runs, EvaluationSet set, MetricSet metrics = MetricSet.All,
        Func<TrainedStage, Stage>? asMethod = null, string device = "auto")
    {
        var table = new ScoreTable();
        foreach (var (name, run) in runs)
            foreach (var (minutes, checkpoint) in run.MarksReached)
            {
                using var stage = TrainedStage.Load(checkpoint, device);
                var method = asMethod?.Invoke(stage) ?? stage;
                table.Add(Evaluator.Run(Method.Of(method, RowName(name, minutes)), set, metrics).With("training min", minutes));
            }
        return table;
    }

    /// <summary>One line per run: <paramref name="score"/>'s mean on <paramref name="set"/> against the training minutes of each mark.</summary>
    public static LineChart Chart(ScoreTable table, string set, IEnumerable<string> runs, string score, string? title = null)
    {
        var chart = new LineChart { Title = title ?? $"{score} against training minutes", XLabel = "training minutes", YLabel = score };
        foreach (var run in runs)
        {
            var rows = table.Rows.Where(r => r.Set == set && r.Method.StartsWith(run + " @ ", StringComparison.Ordinal)).OrderBy(r => r["training min"]).ToList();
            if (rows.Count > 0) chart.Add(run, rows.Select(r => r[score]).ToList(), rows.Select(r => r["training min"]).ToList());
        }
        return chart;
    }
}
