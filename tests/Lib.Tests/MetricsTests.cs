using Lib.Imaging;
using Lib.Metrics;
using Lib.Torch;
using Xunit.Abstractions;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// PSNR and SSIM against scikit-image 0.19, colorfulness and ab accuracy against the numpy references of
/// tools/make_color_metric_fixtures.py (tests/fixtures/color_metrics.safetensors).
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = TestSupport.LoadFixture("color_metrics.safetensors");

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    private static double MaxError(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
    }

    /// <summary>The true L with ab = 0: what a colorizer that learned nothing outputs.</summary>
    private Tensor Colorless()
    {
        var lab = _fx["lab"];
        return Lab.lab_to_rgb(cat([lab.narrow(1, 0, 1), zeros_like(lab.narrow(1, 1, 2))], 1));
    }

    [Theory]
    [InlineData("degraded")]
    [InlineData("blurred")]
    public void Psnr_and_ssim_match_skimage(string other)
    {
        using var scope = NewDisposeScope();
        var (truth, pred) = (_fx["rgb"], _fx[other]);
        var psnr = Psnr.psnr(pred, truth);
        var ssim = Ssim.ssim(pred, truth);
        var ssimRed = Ssim.ssim(pred.narrow(1, 0, 1), truth.narrow(1, 0, 1));
        var ssimL = Ssim.ssim_l(pred, truth);
        output.WriteLine($"{other}: max |error| PSNR {MaxError(_fx["psnr_" + other], psnr):E2} dB, SSIM RGB {MaxError(_fx["ssim_" + other], ssim):E2}, "
                         + $"SSIM red channel {MaxError(_fx["ssim_red_" + other], ssimRed):E2}, SSIM L {MaxError(_fx["ssim_l_" + other], ssimL):E2}");
        TestSupport.AssertClose(_fx["psnr_" + other], psnr, "PSNR " + other, rtol: 0, atol: 1e-4);
        TestSupport.AssertClose(_fx["ssim_" + other], ssim, "SSIM " + other, rtol: 0, atol: 1e-4);
        TestSupport.AssertClose(_fx["ssim_red_" + other], ssimRed, "single-channel SSIM " + other, rtol: 0, atol: 1e-4);
        TestSupport.AssertClose(_fx["ssim_l_" + other], ssimL, "SSIM on L " + other, rtol: 0, atol: 1e-4);
        // float64 inputs: the same values, the same result
        TestSupport.AssertClose(_fx["ssim_" + other], Ssim.ssim(pred.to(ScalarType.Float64), truth.to(ScalarType.Float64)), "SSIM float64 " + other, rtol: 0, atol: 1e-4);
        Assert.Equal(_fx["psnr_" + other].mean().item<double>(), Psnr.mean(pred, truth), 9);
        // data_range scales consistently: the same images on the 0–255 scale (scaled in float64, so exactly)
        var (pred255, truth255) = (pred.to(ScalarType.Float64) * 255, truth.to(ScalarType.Float64) * 255);
        TestSupport.AssertClose(psnr, Psnr.psnr(pred255, truth255, 255), "PSNR at data_range 255", rtol: 0, atol: 1e-9);
        var ssim64 = Ssim.ssim(pred.to(ScalarType.Float64), truth.to(ScalarType.Float64));
        TestSupport.AssertClose(ssim64, Ssim.ssim(pred255, truth255, 255), "SSIM at data_range 255", rtol: 0, atol: 1e-9);
        TestSupport.AssertClose(ssim64, ssim, "SSIM float32 against float64", rtol: 0, atol: 1e-5);
    }

    /// <summary>
    /// Float32 SSIM where E[x²] − E[x]² cancels worst: bright, low-contrast photos (Y near 230 of 255, ±2). The float64
    /// path is the one pinned to skimage above; float32 must stay within 5e-7 of it.
    /// </summary>
    [Theory]
    [InlineData(1.0, 0.9, 0.01)]
    [InlineData(255.0, 230.0, 2.0)]
    [InlineData(100.0, 95.0, 0.5)]
    public void Float32_ssim_keeps_float64_accuracy_on_bright_low_contrast_images(double range, double level, double contrast)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var truth = (randn(2, 1, 64, 48) * contrast + level).to(ScalarType.Float64);
        var pred = truth + randn(2, 1, 64, 48).to(ScalarType.Float64) * (contrast * 0.3);
        var reference = Ssim.ssim(pred, truth, range);
        var fast = Ssim.ssim(pred.to(ScalarType.Float32), truth.to(ScalarType.Float32), range);
        var err = (fast - reference).abs().max().item<double>();
        output.WriteLine($"range {range}, level {level} ± {contrast}: SSIM {reference[0].item<double>():F5}, float32 error {err:E2}");
        Assert.True(err <= 5e-7, $"float32 SSIM is {err:E2} from float64"); // unshifted float32: 1.6e-6 to 6.8e-6
    }

    /// <summary>
    /// Float32 CPU images take the streaming kernels (SsimCpuKernel, SquaredErrorCpuKernel); float64 takes libtorch.
    /// Sizes that are not multiples of the SIMD width, a batch, a cropped (non-contiguous) view and 0–255 luma must all
    /// agree with float64, and the thread count must not change a bit of the result.
    /// </summary>
    [Theory]
    [InlineData(2, 3, 45, 131, 1.0)]
    [InlineData(1, 1, 11, 11, 1.0)]
    [InlineData(3, 1, 70, 33, 255.0)]
    public void Float32_cpu_kernels_agree_with_float64_and_do_not_depend_on_the_thread_count(int n, int c, int h, int w, double range)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var truth = (rand(n, c, h + 4, w + 6) * range).narrow(2, 2, h).narrow(3, 3, w);
        var pred = (truth + randn(n, c, h, w) * (0.05 * range)).clamp(0, range);
        Assert.False(truth.is_contiguous());
        var (p64, t64) = (pred.to(ScalarType.Float64), truth.to(ScalarType.Float64));
        var ssim = Ssim.ssim(pred, truth, range);
        var psnr = Psnr.psnr(pred, truth, range);
        TestSupport.AssertClose(Ssim.ssim(p64, t64, range), ssim, "float32 SSIM kernel against float64", rtol: 0, atol: 1e-6);
        TestSupport.AssertClose(Psnr.psnr(p64, t64, range), psnr, "float32 PSNR kernel against float64", rtol: 0, atol: 1e-9);
        TestSupport.AssertClose(PixelErrors.rmse(p64, t64), PixelErrors.rmse(pred, truth), "float32 RMSE against float64", rtol: 0, atol: 1e-12);
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            Assert.Equal(ssim.ToArray<double>(), Ssim.ssim(pred, truth, range).ToArray<double>());
            Assert.Equal(psnr.ToArray<double>(), Psnr.psnr(pred, truth, range).ToArray<double>());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Identical_images_score_infinite_psnr_and_unit_ssim()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"];
        Assert.True(Psnr.psnr(rgb, rgb).eq(double.PositiveInfinity).all().item<bool>());
        Assert.True(double.IsPositiveInfinity(Psnr.mean(rgb, rgb)));
        Assert.Equal(1.0, Ssim.ssim(rgb, rgb).min().item<double>(), 12);
        Assert.Equal(1.0, Ssim.ssim_l(rgb, rgb).min().item<double>(), 12);
    }

    [Fact]
    public void Pixel_errors_are_per_image()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 3, 4, 4);
        var b = cat([full([1, 3, 4, 4], 0.5), full([1, 3, 4, 4], -0.25)], 0);
        TestSupport.AssertClose(tensor(new[] { 0.5, 0.25 }), PixelErrors.mae(a, b), "MAE", rtol: 0, atol: 1e-12);
        TestSupport.AssertClose(tensor(new[] { 0.5, 0.25 }), PixelErrors.rmse(a, b), "RMSE", rtol: 0, atol: 1e-12);
        // half the pixels off by 0.4: MAE 0.2, RMSE √0.08
        var c = cat([full([1, 1, 2, 4], 0.4), zeros(1, 1, 2, 4)], 2);
        Assert.Equal(0.2, PixelErrors.mae(c, zeros_like(c)).item<double>(), 6);
        Assert.Equal(Math.Sqrt(0.08), PixelErrors.rmse(c, zeros_like(c)).item<double>(), 6);
        // PSNR is RMSE on a log scale
        var (truth, pred) = (_fx["rgb"], _fx["degraded"]);
        TestSupport.AssertClose(Psnr.psnr(pred, truth), PixelErrors.rmse(pred, truth).reciprocal().log10() * 20, "PSNR vs RMSE", rtol: 0, atol: 1e-9);
        Assert.True((PixelErrors.mae(pred, truth) <= PixelErrors.rmse(pred, truth)).all().item<bool>());
    }

    [Fact]
    public void Colorfulness_matches_numpy()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"];
        var colorless = Colorless();
        output.WriteLine($"colorfulness max |error|: images {MaxError(_fx["colorfulness_rgb"], Colorfulness.colorfulness(rgb)):E2}, "
                         + $"degraded {MaxError(_fx["colorfulness_degraded"], Colorfulness.colorfulness(_fx["degraded"])):E2}, "
                         + $"colorless {MaxError(_fx["colorfulness_colorless"], Colorfulness.colorfulness(colorless)):E2}");
        TestSupport.AssertClose(_fx["colorfulness_rgb"], Colorfulness.colorfulness(rgb), "colorfulness", rtol: 1e-9, atol: 1e-9);
        TestSupport.AssertClose(_fx["colorfulness_degraded"], Colorfulness.colorfulness(_fx["degraded"]), "colorfulness degraded", rtol: 1e-9, atol: 1e-9);
        // our lab_to_rgb builds the colorless images here, so this checks it as well: gray up to skimage's matrix rounding
        TestSupport.AssertClose(_fx["colorfulness_colorless"], Colorfulness.colorfulness(colorless), "colorfulness colorless", rtol: 1e-6, atol: 1e-9);
        TestSupport.AssertClose(_fx["colorfulness_rgb"], Colorfulness.colorfulness(rgb.to(ScalarType.Float64) * 255, data_range: 255), "colorfulness of 0–255 input", rtol: 1e-9, atol: 1e-9);
    }

    [Fact]
    public void Ab_accuracy_and_auc_match_numpy()
    {
        using var scope = NewDisposeScope();
        var trueAb = _fx["lab"].narrow(1, 1, 2);
        var predAb = _fx["pred_ab"];
        var curve = _fx["ab_accuracy_curve"];
        for (var t = 0; t <= AbAccuracy.MaxThreshold; t++)
            TestSupport.AssertClose(curve.select(1, t), AbAccuracy.accuracy(predAb, trueAb, t), $"ab accuracy at {t}", rtol: 0, atol: 1e-12);
        var auc = AbAccuracy.auc(predAb, trueAb);
        var aucColorless = AbAccuracy.auc(zeros_like(trueAb), trueAb);
        output.WriteLine($"ab AUC max |error|: {MaxError(_fx["ab_auc"], auc):E2}, colorless {MaxError(_fx["ab_auc_colorless"], aucColorless):E2}");
        TestSupport.AssertClose(_fx["ab_auc"], auc, "ab AUC", rtol: 0, atol: 1e-12);
        TestSupport.AssertClose(_fx["ab_auc_colorless"], aucColorless, "ab AUC colorless", rtol: 0, atol: 1e-12);
        // a perfect prediction scores 1; one that is 200 units off everywhere scores 0
        Assert.Equal(1.0, AbAccuracy.auc(trueAb, trueAb).min().item<double>(), 12);
        Assert.Equal(0.0, AbAccuracy.auc(trueAb + 200, trueAb).max().item<double>(), 12);
        // 3-4-5: a distance of exactly 5 counts at threshold 5, not at 4.99
        var p = full([1, 2, 1, 1], 0.0);
        var q = tensor(new[] { 3.0, 4.0 }, [1, 2, 1, 1]);
        Assert.Equal(1.0, AbAccuracy.accuracy(p, q, 5).item<double>());
        Assert.Equal(0.0, AbAccuracy.accuracy(p, q, 4.99).item<double>());
        // one pixel at distance 5: AUC = (150.5 − 5) / 150
        Assert.Equal(145.5 / 150, AbAccuracy.auc(p, q).item<double>(), 12);
    }

    [Fact]
    public void A_colorless_prediction_scores_lower_colorfulness_and_auc_than_the_truth()
    {
        using var scope = NewDisposeScope();
        var trueAb = _fx["lab"].narrow(1, 1, 2);
        var rgb = _fx["rgb"];
        Assert.True((Colorfulness.colorfulness(Colorless()) < Colorfulness.colorfulness(rgb)).all().item<bool>());
        Assert.True((Colorfulness.colorfulness(Colorless()) < 0.1).all().item<bool>());
        Assert.True((AbAccuracy.auc(zeros_like(trueAb), trueAb) < AbAccuracy.auc(trueAb, trueAb)).all().item<bool>());
        Assert.True((AbAccuracy.auc(zeros_like(trueAb), trueAb) < AbAccuracy.auc(_fx["pred_ab"], trueAb)).all().item<bool>());
    }

    [Fact]
    public void Wrong_shapes_are_refused_with_both_shapes_in_the_message()
    {
        using var scope = NewDisposeScope();
        void Refused(Action call, params string[] fragments)
        {
            var e = Assert.Throws<ArgumentException>(call);
            foreach (var f in fragments) Assert.Contains(f, e.Message);
        }
        var (a, b) = (zeros(1, 3, 16, 16), zeros(1, 3, 16, 17));
        Refused(() => Psnr.psnr(a, b), "PSNR", "[1, 3, 16, 16]", "[1, 3, 16, 17]");
        Refused(() => Psnr.mean(a, b), "[1, 3, 16, 16]", "[1, 3, 16, 17]");
        Refused(() => Ssim.ssim(a, b), "SSIM", "[1, 3, 16, 16]", "[1, 3, 16, 17]");
        Refused(() => PixelErrors.mae(a, b), "MAE", "[1, 3, 16, 16]", "[1, 3, 16, 17]");
        Refused(() => PixelErrors.rmse(a, b), "RMSE", "[1, 3, 16, 16]", "[1, 3, 16, 17]");
        Refused(() => Psnr.psnr(zeros(3, 16, 16), zeros(3, 16, 16)), "N×C×H×W", "[3, 16, 16]");
        Refused(() => Ssim.ssim(zeros(1, 3, 8, 8), zeros(1, 3, 8, 8)), "11×11", "[1, 3, 8, 8]");
        Refused(() => Ssim.ssim_l(zeros(1, 1, 16, 16), zeros(1, 1, 16, 16)), "[1, 1, 16, 16]");
        Refused(() => AbAccuracy.auc(a, a), "N×2×H×W", "[1, 3, 16, 16]");
        Refused(() => AbAccuracy.accuracy(zeros(1, 2, 4, 4), zeros(1, 2, 4, 5), 10), "[1, 2, 4, 4]", "[1, 2, 4, 5]");
        Refused(() => Colorfulness.colorfulness(zeros(1, 1, 4, 4)), "[1, 1, 4, 4]");
        Refused(() => Psnr.psnr(a, a, data_range: 0), "data_range");
    }

    [Fact]
    public void Outside_a_scope_only_the_results_stay_alive()
    {
        var (truth, pred) = (_fx["rgb"], _fx["degraded"]);
        var ab = _fx["pred_ab"];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = TestSupport.SettledLiveCount();
        var results = new[]
        {
            Psnr.psnr(pred, truth), Ssim.ssim(pred, truth), Ssim.ssim_l(pred, truth), PixelErrors.mae(pred, truth),
            PixelErrors.rmse(pred, truth), Colorfulness.colorfulness(pred), AbAccuracy.accuracy(ab, ab, 10), AbAccuracy.auc(ab, ab),
        };
        _ = Psnr.mean(pred, truth);
        Assert.Equal(before + results.Length, LiveTensorCount);
        foreach (var r in results) r.Dispose();
        Assert.Equal(before, LiveTensorCount);
    }
}
