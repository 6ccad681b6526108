using Lib.Evaluation;
using Lib.Pipelines;

namespace Lib.Training;

/// <summary>
/// One way from a small gray photo to a large color one (notebook 04): its key for the command line (a, b, c), its
/// label in tables, and the runs of <see cref="OrderingsProfile"/> it chains, in order.
/// </summary>
public sealed record Ordering(string Key, string Label, IReadOnlyList<string> Runs)
{
    /// <summary>The pipeline: the stages of <see cref="Runs"/>, in order, each one's output the next one's input.</summary>
    /// <exception cref="ArgumentException">A stage does not take what the one before gives, or the chain is not gray → color.</exception>
    public Stage Compose(IReadOnlyList<Stage> stages)
    {
        if (stages.Count != Runs.Count) throw new ArgumentException($"ordering {Key} chains {Runs.Count} stages ({string.Join(", ", Runs)}), not {stages.Count}", nameof(stages));
        var pipeline = stages.Skip(1).Aggregate(stages[0], (chain, next) => chain.Then(next));
        if (pipeline.Input != Imaging.ImageKind.Gray || pipeline.Output != Imaging.ImageKind.Color)
            throw new ArgumentException($"ordering {Key} needs a gray → color pipeline but these stages give {pipeline}", nameof(stages));
        return pipeline;
    }

    public override string ToString() => Label;
}

/// <summary>The three orderings, the run folders notebook 04 writes, and the labels its table uses: written once, read by the notebook and `restore`.</summary>
public static class Orderings
{
    public const string ColorizerLowRun = "a-colorizer-64", UpscalerColorRun = "a-upscaler-color";
    public const string UpscalerGrayRun = "b-upscaler-gray", ColorizerHighRun = "b-colorizer-256";
    public const string JointRun = "c-joint";

    public static Ordering ColorizeThenUpscale { get; } = new("a", "a. colorize → upscale", [ColorizerLowRun, UpscalerColorRun]);
    public static Ordering UpscaleThenColorize { get; } = new("b", "b. upscale → colorize", [UpscalerGrayRun, ColorizerHighRun]);
    public static Ordering Joint { get; } = new("c", "c. joint GAN", [JointRun]);

    public static IReadOnlyList<Ordering> All { get; } = [ColorizeThenUpscale, UpscaleThenColorize, Joint];

    /// <summary>The baseline's and the ceiling's labels in notebook 04's table.</summary>
    public const string BaselineLabel = "baseline: bicubic gray (ab = 0)";
    public const string CeilingLabel = "ceiling of a: true colors at 64, bicubic ×4";

    /// <summary>The task each run folder trains (a checkpoint given in its place must be of it).</summary>
    /// <exception cref="ArgumentException">Not one of the orderings' runs.</exception>
    public static TrainingTask TaskOf(string run) => run switch
    {
        ColorizerLowRun or ColorizerHighRun => TrainingTasks.Colorizer,
        UpscalerColorRun or UpscalerGrayRun => TrainingTasks.Upscaler,
        JointRun => TrainingTasks.Joint,
        _ => throw new ArgumentException($"'{run}' is not a run of the orderings ({string.Join(", ", All.SelectMany(o => o.Runs))})", nameof(run)),
    };

    /// <summary>The ordering with key a, b or c.</summary>
    /// <exception cref="ArgumentException">Another key.</exception>
    public static Ordering Get(string key) =>
        All.FirstOrDefault(o => o.Key == key) ?? throw new ArgumentException($"no ordering '{key}'; use one of: {string.Join(", ", All.Select(o => o.Key))}", nameof(key));

    /// <summary>The ordering whose row has the highest PSNR in <paramref name="table"/> (notebook 04's), with that PSNR; null when none has a row.</summary>
    public static (Ordering ordering, double psnr)? BestByPsnr(ScoreTable table)
    {
        var rows = table.Rows
            .Select(r => (ordering: All.FirstOrDefault(o => o.Label == r.Method), row: r))
            .Where(x => x.ordering is not null && x.row.Values.ContainsKey(Score.Psnr))
            .OrderByDescending(x => x.row[Score.Psnr])
            .ToList();
        return rows.Count == 0 ? null : (rows[0].ordering!, rows[0].row[Score.Psnr]);
    }
}
