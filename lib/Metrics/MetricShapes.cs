using Lib.Torch;

namespace Lib.Metrics;

/// <summary>The argument checks every metric shares, so their messages read alike.</summary>
internal static class MetricShapes
{
    /// <summary>Whether both are float32 CPU tensors: what the metrics' own SIMD kernels take (anything else goes through libtorch).</summary>
    public static bool OnCpuKernels(Tensor prediction, Tensor target) =>
        prediction.dtype == ScalarType.Float32 && target.dtype == ScalarType.Float32 &&
        prediction.device_type == DeviceType.CPU && target.device_type == DeviceType.CPU;

    /// <summary>Both N×C×H×W with the same shape, or an error naming the metric and both shapes.</summary>
    public static void Check(string metric, Tensor prediction, Tensor target)
    {
        if (prediction.dim() != 4 || !prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"{metric} needs two N×C×H×W tensors of the same shape; got prediction {Describe(prediction)} and target {Describe(target)}");
    }

    /// <summary>As the shape check above, and exactly <paramref name="channels"/> channels.</summary>
    public static void Check(string metric, Tensor prediction, Tensor target, long channels, string what)
    {
        Check(metric, prediction, target);
        if (prediction.size(1) != channels)
            throw new ArgumentException(
                $"{metric} needs N×{channels}×H×W {what} tensors; got prediction {Describe(prediction)} and target {Describe(target)}");
    }

    public static void CheckRange(string metric, double dataRange)
    {
        if (!(dataRange > 0) || double.IsInfinity(dataRange))
            throw new ArgumentException($"{metric} needs a positive, finite data_range; got {dataRange}");
    }

    public static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}]";
}
