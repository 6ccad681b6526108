using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Metrics;

/// <summary>
/// Structural similarity (Wang et al. 2004) per image, as skimage's
/// <c>structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=R, channel_axis=…)</c>:
/// local statistics under an 11×11 Gaussian window (σ 1.5, truncated at 3.5σ, so radius int(3.5·1.5 + 0.5) = 5),
/// C1 = (0.01·R)², C2 = (0.03·R)², population (co)variances, the SSIM map averaged without its 5-pixel border,
/// per channel, then over channels.
/// </summary>
/// <remarks>
/// For single-channel SSIM pass N×1×H×W tensors, e.g. the L channel of Lab with data_range 100 — which is
/// what <see cref="ssim_l"/> does from RGB. Computed in the inputs' precision, float32 unless they are float64:
/// the variances are differences of nearly equal numbers, so both images are first shifted by their joint
/// per-channel mean (variances and covariance do not change; the means get it added back), which keeps float32
/// within 3e-7 of skimage on the fixtures and 1e-7 of float64 on bright, low-contrast images. Float32 CPU images go
/// through <see cref="SsimCpuKernel"/> (one streaming SIMD pass, no image-sized temporaries); other devices and float64
/// through libtorch's separable depthwise convolutions, with the window built on the inputs' device.
/// </remarks>
public static class Ssim
{
    /// <summary>The Gaussian window's standard deviation, in pixels.</summary>
    public const double Sigma = 1.5;

    /// <summary>skimage truncates the window at this many σ.</summary>
    public const double Truncate = 3.5;

    /// <summary>The window's radius, as scipy.ndimage rounds it: int(Truncate·Sigma + 0.5) = 5.</summary>
    public const int Radius = (int)(Truncate * Sigma + 0.5);

    /// <summary>11: the window's side, and images must be at least this large.</summary>
    public const int WindowSize = 2 * Radius + 1;

    /// <summary>[N] float64 mean SSIM of N×C×H×W images whose values span <paramref name="data_range"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ or are not 4-d, an image is smaller than 11×11, or data_range is not positive.</exception>
    public static Tensor ssim(Tensor prediction, Tensor target, double data_range = 1.0, double k1 = 0.01, double k2 = 0.03)
    {
        MetricShapes.Check("SSIM", prediction, target);
        MetricShapes.CheckRange("SSIM", data_range);
        var (h, w) = (prediction.size(2), prediction.size(3));
        if (h < WindowSize || w < WindowSize)
            throw new ArgumentException(
                $"SSIM needs images of at least {WindowSize}×{WindowSize} pixels (its Gaussian window); got prediction {MetricShapes.Describe(prediction)} and target {MetricShapes.Describe(target)}");
        using var scope = NewDisposeScope();
        var dtype = prediction.dtype == ScalarType.Float64 || target.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var x = prediction.to(dtype);
        var y = target.to(dtype);
        var c1 = Math.Pow(k1 * data_range, 2);
        var c2 = Math.Pow(k2 * data_range, 2);
        if (MetricShapes.OnCpuKernels(x, y))
            return tensor(SsimCpuKernel.Mean(x, y, c1, c2, Window())).MoveToOuterDisposeScope();
        var c = x.size(1);
        var shift = (x.mean([2, 3], keepdim: true) + y.mean([2, 3], keepdim: true)) * 0.5;
        x = x - shift;
        y = y - shift;
        // skimage filters with reflect padding and then crops Radius pixels from every side; the pixels it
        // keeps are exactly those whose window lies inside the image, so an unpadded ("valid") filter
        // gives the kept part alone. The five maps go through one grouped convolution.
        var filtered = Gaussian(cat([x, y, x * x, y * y, x * y], 1));
        var (ux, uy, uxx, uyy, uxy) = (filtered.narrow(1, 0, c), filtered.narrow(1, c, c), filtered.narrow(1, 2 * c, c),
                                       filtered.narrow(1, 3 * c, c), filtered.narrow(1, 4 * c, c));
        var vx = uxx - ux * ux;
        var vy = uyy - uy * uy;
        var vxy = uxy - ux * uy;
        ux = ux + shift;
        uy = uy + shift;
        var map = (ux * uy * 2 + c1) * (vxy * 2 + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        // Every channel keeps the same number of pixels, so one mean equals skimage's mean of channel means.
        return map.mean([1, 2, 3]).to(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [N] SSIM of the Lab lightness of two N×3×H×W RGB batches in [0, 1] (L in [0, 100], data_range 100):
    /// how well a colorization kept the structure, which ab errors alone do not change much.
    /// </summary>
    public static Tensor ssim_l(Tensor predictionRgb, Tensor targetRgb)
    {
        MetricShapes.Check("SSIM on L", predictionRgb, targetRgb, 3, "RGB");
        using var scope = NewDisposeScope();
        var lp = Lab.rgb_to_lab(predictionRgb).narrow(1, 0, 1);
        var lt = Lab.rgb_to_lab(targetRgb).narrow(1, 0, 1);
        return ssim(lp, lt, data_range: 100).MoveToOuterDisposeScope();
    }

    /// <summary>Depthwise separable Gaussian, no padding: N×K×H×W → N×K×(H−10)×(W−10).</summary>
    private static Tensor Gaussian(Tensor x)
    {
        var k = x.size(1);
        using var row = tensor(Window(), [1, 1, 1, WindowSize]).to(x.dtype, x.device).expand(k, 1, 1, WindowSize).contiguous();
        using var column = row.view(k, 1, WindowSize, 1);
        using var horizontal = F.conv2d(x, row, groups: k);
        return F.conv2d(horizontal, column, groups: k);
    }

    /// <summary>The 11 normalised taps of the 1-d Gaussian; the 2-d window is their outer product.</summary>
    private static double[] Window()
    {
        var taps = new double[WindowSize];
        for (var i = -Radius; i <= Radius; i++) taps[i + Radius] = Math.Exp(-0.5 * i * i / (Sigma * Sigma));
        var sum = taps.Sum();
        for (var i = 0; i < WindowSize; i++) taps[i] /= sum;
        return taps;
    }
}
