using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Zhang et al. 2016's raw accuracy ("AuC" in Colorful Image Colorization): the fraction of pixels whose
/// predicted ab lies within Euclidean distance t of the true ab, in raw Lab units (multiply the network's
/// ab by <see cref="Imaging.Lab.AbScale"/> first), and the area under that curve.
/// </summary>
/// <remarks>
/// The exact area: integer thresholds t = 0, 1, …, 150, the trapezoid rule with unit steps, divided by 150,
/// AUC = (½·acc(0) + acc(1) + … + acc(149) + ½·acc(150)) / 150, so a perfect prediction scores 1 and
/// numpy's <c>np.trapz(acc, dx=1) / 150</c> gives the same number (tools/make_color_metric_fixtures.py).
/// </remarks>
public static class AbAccuracy
{
    /// <summary>The largest threshold of the curve, in Lab units.</summary>
    public const int MaxThreshold = 150;

    /// <summary>[N] float64 fraction of pixels with ‖ab_pred − ab_true‖ ≤ <paramref name="threshold"/>; inputs N×2×H×W in Lab units.</summary>
    /// <exception cref="ArgumentException">The shapes differ, are not 4-d, or have other than 2 channels.</exception>
    public static Tensor accuracy(Tensor predictedAb, Tensor trueAb, double threshold)
    {
        using var scope = NewDisposeScope();
        return Distance("ab accuracy", predictedAb, trueAb).le(threshold).to(ScalarType.Float64).mean([1, 2]).MoveToOuterDisposeScope();
    }

    /// <summary>[N] float64 area under the accuracy-vs-threshold curve for thresholds 0…150, normalized to [0, 1].</summary>
    /// <exception cref="ArgumentException">The shapes differ, are not 4-d, or have other than 2 channels.</exception>
    public static Tensor auc(Tensor predictedAb, Tensor trueAb)
    {
        using var scope = NewDisposeScope();
        // For an integer t, d ≤ t exactly when ⌈d⌉ ≤ t, so a pixel at c = ⌈d⌉ adds the trapezoid weights of
        // t = c…150: 150 for c = 0, 150.5 − c for 1 ≤ c ≤ 150, 0 beyond. Summing that per pixel gives the
        // same area as evaluating the 151 thresholds, without an N×151×H×W temporary.
        var c = Distance("ab AUC", predictedAb, trueAb).ceil();
        var weight = (MaxThreshold + 0.5 - c).clamp(0, MaxThreshold);
        return (weight.mean([1, 2]) / MaxThreshold).MoveToOuterDisposeScope();
    }

    private static Tensor Distance(string metric, Tensor p, Tensor t)
    {
        MetricShapes.Check(metric, p, t, 2, "ab");
        return (p.to(ScalarType.Float64) - t.to(ScalarType.Float64)).square().sum([1]).sqrt();
    }
}
