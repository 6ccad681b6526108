using Lib.Torch;

namespace Lib.Metrics;

internal static class MetricShapes
{
    /// <summary>Both N×C×H×W with the same shape, or an error naming the metric and both shapes.</summary>
    public static void Check(string metric, Tensor prediction, Tensor target)
    {
        if (prediction.dim() != 4 || !prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"{metric} needs two N×C×H×W tensors of the same shape; got prediction [{string.Join(", ", prediction.shape)}] and target [{string.Join(", ", target.shape)}]");
    }
}
