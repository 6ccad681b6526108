using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Zhang et al. 2016's raw accuracy: the fraction of pixels whose predicted ab lies within a
/// Euclidean distance t of the true ab (raw Lab units), and the area under that curve for
/// t = 0…150, normalized to [0, 1] (trapezoid rule over integer thresholds).
/// </summary>
public static class AbAccuracy
{
    public const int MaxThreshold = 150;

    /// <summary>[N] fraction of pixels within <paramref name="threshold"/>; inputs N×2×H×W in Lab units.</summary>
    public static Tensor accuracy(Tensor predictedAb, Tensor trueAb, double threshold)
    {
        using var scope = NewDisposeScope();
        return Distance(predictedAb, trueAb).le(threshold).to(ScalarType.Float64).mean([1, 2]).MoveToOuterDisposeScope();
    }

    /// <summary>[N] area under the accuracy-vs-threshold curve for thresholds 0…150.</summary>
    public static Tensor auc(Tensor predictedAb, Tensor trueAb)
    {
        using var scope = NewDisposeScope();
        var d = Distance(predictedAb, trueAb);
        var thresholds = arange(0, MaxThreshold + 1, dtype: ScalarType.Float64).view(1, MaxThreshold + 1, 1);
        var flat = d.flatten(1).unsqueeze(1);                        // N×1×P
        var acc = flat.le(thresholds).to(ScalarType.Float64).mean([2]); // N×151
        // Trapezoid rule on unit steps, divided by the range.
        var area = acc.sum([1]) - (acc.select(1, 0) + acc.select(1, MaxThreshold)) * 0.5;
        return (area / MaxThreshold).MoveToOuterDisposeScope();
    }

    private static Tensor Distance(Tensor p, Tensor t)
    {
        MetricShapes.Check("ab accuracy", p, t);
        if (p.size(1) != 2) throw new ArgumentException($"ab accuracy needs N×2×H×W ab tensors; got [{string.Join(", ", p.shape)}]");
        return (p.to(ScalarType.Float64) - t.to(ScalarType.Float64)).square().sum([1]).sqrt();
    }
}
