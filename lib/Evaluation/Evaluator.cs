using System.Diagnostics;
using Lib.Imaging;
using Lib.Metrics;
using Lib.Pipelines;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Evaluation;

/// <summary>
/// Scores any method on any set, for either task or both: the method's output is saved as an 8-bit image
/// would be (rounded to 1/255), a border of Scale pixels is cropped (the SR protocol; none at scale 1), and
/// each image gets PSNR/SSIM on RGB, on Y (BT.601, 0–255), ab accuracy and colorfulness, as asked; a row holds
/// their means. A gray output is scored against the truth's lightness (fidelity and Y only).
/// </summary>
public static class Evaluator
{
    /// <summary>Runs <paramref name="method"/> on every image of <paramref name="set"/> and scores its output.</summary>
    /// <exception cref="ArgumentException">The method's output does not have the truth's size (names both).</exception>
    public static ScoreRow Run(Method method, EvaluationSet set, MetricSet metrics = MetricSet.All, int batchSize = 16)
    {
        var perImage = new List<(string, IReadOnlyDictionary<string, double>)>();
        var clock = new Stopwatch();
        double cfPredicted = 0, cfTruth = 0;
        var gray = method.Output == ImageKind.Gray;
        var groups = gray ? metrics & ~MetricSet.Color : metrics;
        foreach (var batch in set.Batches(method.Input, batchSize))
        {
            using var _ = batch;
            using var scope = NewDisposeScope();
            clock.Start();
            var output = method.Run(batch.Input);
            clock.Stop();
            var truth = batch.Truth;
            var expected = new[] { truth.size(0), gray ? 1 : 3, truth.size(2), truth.size(3) };
            if (!output.shape.SequenceEqual(expected))
                throw new ArgumentException($"{method.Name} on {set.Name}/{batch.Ids[0]}: output [{string.Join(", ", output.shape)}] but the truth needs [{string.Join(", ", expected)}] " +
                                            $"(input [{string.Join(", ", batch.Input.shape)}], scale {set.Scale})");
            var saved = output.clamp(0, 1).mul(255).round().div(255);
            var (pred, reference) = gray ? (Lab.gray_to_rgb(saved), Lab.gray_to_rgb(Lab.lightness(truth))) : (saved, truth);
            var border = set.Scale > 1 ? set.Scale : 0;
            var scores = ScoreImages(YChannel.crop(pred, border), YChannel.crop(reference, border), groups);
            for (var i = 0; i < batch.Ids.Count; i++)
                perImage.Add((batch.Ids[i], scores.ToDictionary(kv => kv.Key, kv => kv.Value[i])));
            if (groups.HasFlag(MetricSet.Color))
            {
                cfPredicted += scores[Score.Colorfulness].Sum();
                cfTruth += Colorfulness.colorfulness(YChannel.crop(reference, border)).sum().item<double>();
            }
        }
        if (perImage.Count == 0) throw new InvalidOperationException($"evaluation set {set.Name} yielded no images");
        var n = perImage.Count;
        var means = new Dictionary<string, double>();
        foreach (var name in perImage[0].Item2.Keys) means[name] = perImage.Average(p => p.Item2[name]);
        if (groups.HasFlag(MetricSet.Color)) means[Score.ColorfulnessGap] = Math.Abs(cfPredicted - cfTruth) / n;
        means[Score.MsPerImage] = clock.Elapsed.TotalMilliseconds / n;
        return new ScoreRow(set.Name, method.Name, n, means, perImage);
    }

    /// <summary>The method name of <see cref="Truth"/>'s row.</summary>
    public const string TruthMethod = "ground truth";

    /// <summary>The ground truth's own colorfulness: the reference line for the colorfulness column.</summary>
    public static ScoreRow Truth(EvaluationSet set)
    {
        var perImage = new List<(string, IReadOnlyDictionary<string, double>)>();
        foreach (var batch in set.Batches(ImageKind.Color))
        {
            using var _ = batch;
            var border = set.Scale > 1 ? set.Scale : 0;
            using var cropped = YChannel.crop(batch.Truth, border);
            var cf = Colorfulness.colorfulness(cropped).ToArray<double>();
            for (var i = 0; i < batch.Ids.Count; i++)
                perImage.Add((batch.Ids[i], new Dictionary<string, double> { [Score.Colorfulness] = cf[i] }));
        }
        return new ScoreRow(set.Name, TruthMethod, perImage.Count,
            new Dictionary<string, double> { [Score.Colorfulness] = perImage.Average(p => p.Item2[Score.Colorfulness]) }, perImage);
    }

    /// <summary>Per-image scores ([N] each) of predictions against references (both N×3×H×W RGB in [0, 1]).</summary>
    public static Dictionary<string, double[]> ScoreImages(Tensor predicted, Tensor reference, MetricSet groups)
    {
        using var scope = NewDisposeScope();
        var s = new Dictionary<string, double[]>();
        // Identical images have infinite PSNR; 100 dB caps them so one flat image cannot dominate a mean.
        if (groups.HasFlag(MetricSet.Fidelity))
        {
            s[Score.Psnr] = Psnr.psnr(predicted, reference).clamp(max: 100).ToArray<double>();
            s[Score.Ssim] = Ssim.ssim(predicted, reference).ToArray<double>();
        }
        if (groups.HasFlag(MetricSet.Luma))
        {
            var (yp, yr) = (YChannel.rgb_to_y(predicted), YChannel.rgb_to_y(reference));
            s[Score.PsnrY] = Psnr.psnr(yp, yr, 255).clamp(max: 100).ToArray<double>();
            s[Score.SsimY] = Ssim.ssim(yp, yr, 255).ToArray<double>();
        }
        if (groups.HasFlag(MetricSet.Color))
        {
            var (abP, abR) = (Lab.rgb_to_lab(predicted).narrow(1, 1, 2), Lab.rgb_to_lab(reference).narrow(1, 1, 2));
            s[Score.AbAuc] = AbAccuracy.auc(abP, abR).ToArray<double>();
            s[Score.AbAcc10] = AbAccuracy.accuracy(abP, abR, 10).ToArray<double>();
            s[Score.Colorfulness] = Colorfulness.colorfulness(predicted).ToArray<double>();
        }
        return s;
    }
}
