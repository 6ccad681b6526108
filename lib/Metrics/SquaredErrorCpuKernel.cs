using System.Numerics;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Metrics;

/// <summary>
/// Per-image mean squared error of float32 CPU images, each difference and square taken in float64 (as skimage
/// does after converting), in one pass without image-sized temporaries.
/// </summary>
/// <remarks>
/// The tensor path converted both images to float64 first: two image-sized copies and three more passes per pair,
/// the largest single cost of scoring SR sets. Work is split into fixed blocks whose sums are added in order, so the
/// result does not depend on the thread count.
/// </remarks>
internal static class SquaredErrorCpuKernel
{
    private const int Block = 1 << 16;

    /// <summary>[N] mean over C, H and W of (prediction − target)², for N×C×H×W tensors of one shape.</summary>
    public static unsafe double[] Mean(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var x = prediction.contiguous();
        var y = target.contiguous();
        var n = (int)x.size(0);
        var perImage = x.numel() / Math.Max(1, n);
        var blocksPerImage = (int)((perImage + Block - 1) / Block);
        var (px, py) = ((nint)x.DataPointer<float>(), (nint)y.DataPointer<float>());
        var sums = new double[n * blocksPerImage];
        Parallel.For(0, sums.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) }, b =>
        {
            var start = b / blocksPerImage * perImage + b % blocksPerImage * (long)Block;
            var count = Math.Min(Block, (b / blocksPerImage + 1) * perImage - start);
            sums[b] = SumOfSquares((float*)px + start, (float*)py + start, count);
        });
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            double total = 0;
            for (var b = i * blocksPerImage; b < (i + 1) * blocksPerImage; b++) total += sums[b];
            result[i] = total / perImage;
        }
        return result;
    }

    private static unsafe double SumOfSquares(float* x, float* y, long count)
    {
        var v = Vector<float>.Count;
        Vector<double> a0 = default, a1 = default;
        long i = 0;
        for (; i + v <= count; i += v)
        {
            Vector.Widen(Vector.Load(x + i), out var xl, out var xh);
            Vector.Widen(Vector.Load(y + i), out var yl, out var yh);
            var (dl, dh) = (xl - yl, xh - yh);
            a0 += dl * dl;
            a1 += dh * dh;
        }
        var total = Vector.Sum(a0 + a1);
        for (; i < count; i++)
        {
            var d = (double)x[i] - y[i];
            total += d * d;
        }
        return total;
    }
}
