using Lib.Metrics;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>Metrics against scikit-image and numpy references (tools/make_color_metric_fixtures.py).</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = Safetensors.load(TestSupport.Fixture("color_metrics.safetensors"));

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    [Theory]
    [InlineData("degraded")]
    [InlineData("blurred")]
    public void Psnr_and_ssim_match_skimage(string other)
    {
        using var scope = NewDisposeScope();
        var (truth, pred) = (_fx["rgb"], _fx[other]);
        TestSupport.AssertClose(_fx["psnr_" + other], Psnr.psnr(pred, truth), "PSNR " + other, rtol: 0, atol: 1e-4);
        TestSupport.AssertClose(_fx["ssim_" + other], Ssim.ssim(pred, truth), "SSIM " + other, rtol: 0, atol: 1e-4);
        TestSupport.AssertClose(_fx["ssim_gray_" + other], Ssim.ssim(pred.narrow(1, 0, 1), truth.narrow(1, 0, 1)), "SSIM gray " + other, rtol: 0, atol: 1e-4);
        // float32 inputs give the same within the tolerance
        TestSupport.AssertClose(_fx["ssim_" + other], Ssim.ssim(pred.to(ScalarType.Float32), truth.to(ScalarType.Float32)), "SSIM float32 " + other, rtol: 0, atol: 1e-4);
    }

    [Fact]
    public void Colorfulness_and_ab_accuracy_match_numpy()
    {
        using var scope = NewDisposeScope();
        TestSupport.AssertClose(_fx["colorfulness_rgb"], Colorfulness.colorfulness(_fx["rgb"]), "colorfulness", rtol: 1e-6, atol: 1e-6);
        TestSupport.AssertClose(_fx["colorfulness_colorless"], Colorfulness.colorfulness(_fx["colorless"]), "colorfulness colorless", rtol: 1e-6, atol: 1e-6);
        var trueAb = _fx["lab"].narrow(1, 1, 2);
        TestSupport.AssertClose(_fx["ab_auc_degraded"], AbAccuracy.auc(_fx["lab_degraded"].narrow(1, 1, 2), trueAb), "ab AUC", rtol: 1e-9, atol: 1e-9);
        TestSupport.AssertClose(_fx["ab_acc10_degraded"], AbAccuracy.accuracy(_fx["lab_degraded"].narrow(1, 1, 2), trueAb, 10), "ab accuracy at 10", rtol: 1e-9, atol: 1e-9);
        TestSupport.AssertClose(_fx["ab_auc_colorless"], AbAccuracy.auc(zeros_like(trueAb), trueAb), "ab AUC colorless", rtol: 1e-9, atol: 1e-9);
    }

    [Fact]
    public void A_colorless_prediction_scores_lower_on_color_metrics()
    {
        using var scope = NewDisposeScope();
        var trueAb = _fx["lab"].narrow(1, 1, 2);
        Assert.True((Colorfulness.colorfulness(_fx["colorless"]) < Colorfulness.colorfulness(_fx["rgb"])).all().item<bool>());
        Assert.True((AbAccuracy.auc(zeros_like(trueAb), trueAb) < AbAccuracy.auc(trueAb, trueAb)).all().item<bool>());
        Assert.Equal(1.0, AbAccuracy.auc(trueAb, trueAb).min().item<double>(), 12);
    }

    [Fact]
    public void Pixel_errors_and_identical_images()
    {
        using var scope = NewDisposeScope();
        var a = zeros(1, 1, 4, 4);
        var b = full([1, 1, 4, 4], 0.5);
        Assert.Equal(0.5, PixelErrors.mae(a, b).item<double>(), 12);
        Assert.Equal(0.5, PixelErrors.rmse(a, b).item<double>(), 12);
        Assert.True(double.IsPositiveInfinity(Psnr.psnr(b, b).item<double>()));
        Assert.Equal(1.0, Ssim.ssim(_fx["rgb"], _fx["rgb"]).min().item<double>(), 9);
    }

    [Fact]
    public void Wrong_shapes_name_both_shapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => Psnr.psnr(zeros(1, 3, 8, 8), zeros(1, 3, 8, 9)));
        Assert.Contains("[1, 3, 8, 8]", e.Message);
        Assert.Contains("[1, 3, 8, 9]", e.Message);
        Assert.Throws<ArgumentException>(() => Ssim.ssim(zeros(1, 3, 8, 8), zeros(1, 3, 8, 8)));
    }
}
