using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>Mean absolute error, mean squared error and its root per image, over C, H and W, in float64 and in the inputs' units.</summary>
public static class PixelErrors
{
    /// <summary>[N] mean |prediction − target|.</summary>
    /// <exception cref="ArgumentException">The shapes differ or are not 4-d.</exception>
    public static Tensor mae(Tensor prediction, Tensor target)
    {
        MetricShapes.Check("MAE", prediction, target);
        using var scope = NewDisposeScope();
        return (prediction.to(ScalarType.Float64) - target.to(ScalarType.Float64)).abs().mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>[N] mean (prediction − target)², differences taken in float64 (float32 CPU images without float64 copies).</summary>
    /// <exception cref="ArgumentException">The shapes differ or are not 4-d.</exception>
    public static Tensor mse(Tensor prediction, Tensor target)
    {
        MetricShapes.Check("MSE", prediction, target);
        if (MetricShapes.OnCpuKernels(prediction, target)) return tensor(SquaredErrorCpuKernel.Mean(prediction, target));
        using var scope = NewDisposeScope();
        return (prediction.to(ScalarType.Float64) - target.to(ScalarType.Float64)).square().mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>[N] √mean (prediction − target)².</summary>
    /// <exception cref="ArgumentException">The shapes differ or are not 4-d.</exception>
    public static Tensor rmse(Tensor prediction, Tensor target)
    {
        MetricShapes.Check("RMSE", prediction, target);
        using var scope = NewDisposeScope();
        return mse(prediction, target).sqrt().MoveToOuterDisposeScope();
    }
}
