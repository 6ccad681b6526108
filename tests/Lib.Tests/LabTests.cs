using Lib.Imaging;
using Lib.Torch;
using Xunit.Abstractions;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// sRGB ⇄ Lab against scikit-image 0.19 (tests/fixtures/color_metrics.safetensors, written by
/// tools/make_color_metric_fixtures.py). The fixture's images are exact in float32; the references are float64.
/// </summary>
public sealed class LabTests(ITestOutputHelper output) : IDisposable
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

    [Fact]
    public void Rgb_to_lab_matches_skimage()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"];
        var lab32 = Lab.rgb_to_lab(rgb);
        var lab64 = Lab.rgb_to_lab(rgb.to(ScalarType.Float64));
        output.WriteLine($"rgb2lab max |error|: float32 {MaxError(_fx["lab"], lab32):E2}, float64 {MaxError(_fx["lab"], lab64):E2} (Lab units)");
        Assert.Equal(ScalarType.Float32, lab32.dtype);
        Assert.Equal(ScalarType.Float64, lab64.dtype);
        TestSupport.AssertClose(_fx["lab"], lab32, "rgb2lab float32", rtol: 0, atol: 1e-3);
        TestSupport.AssertClose(_fx["lab"], lab64, "rgb2lab float64", rtol: 0, atol: 1e-6);
        // an unbatched 3×H×W image gives the same as its batch row
        TestSupport.AssertClose(_fx["lab"][1], Lab.rgb_to_lab(rgb[1]), "rgb2lab 3×H×W", rtol: 0, atol: 1e-3);
    }

    [Fact]
    public void Lab_to_rgb_matches_skimage_including_out_of_gamut_clipping()
    {
        using var scope = NewDisposeScope();
        var grid = _fx["lab_grid"];
        var gridRgb32 = Lab.lab_to_rgb(grid);
        var gridRgb64 = Lab.lab_to_rgb(grid.to(ScalarType.Float64));
        var rgb64 = Lab.lab_to_rgb(_fx["lab"]);
        output.WriteLine($"lab2rgb max |error| on the out-of-gamut grid: float32 {MaxError(_fx["lab_grid_rgb"], gridRgb32):E2}, float64 {MaxError(_fx["lab_grid_rgb"], gridRgb64):E2}; "
                         + $"on the images' Lab (float64): {MaxError(_fx["rgb"], rgb64):E2} (RGB units)");
        TestSupport.AssertClose(_fx["lab_grid_rgb"], gridRgb32, "lab2rgb grid float32", rtol: 0, atol: 1e-3);
        // the grid reference was stored as float32, hence 1e-6 rather than tighter
        TestSupport.AssertClose(_fx["lab_grid_rgb"], gridRgb64, "lab2rgb grid float64", rtol: 0, atol: 1e-6);
        TestSupport.AssertClose(_fx["rgb"], rgb64, "lab2rgb of the images' Lab", rtol: 0, atol: 1e-6);
        // the grid really leaves the gamut: many values were clipped to 0 or 1
        Assert.True((gridRgb32.eq(0) | gridRgb32.eq(1)).to(ScalarType.Float32).mean().item<float>() > 0.3f);
    }

    [Fact]
    public void Round_trip_is_within_one_level()
    {
        using var scope = NewDisposeScope();
        foreach (var name in new[] { "rgb", "degraded", "blurred" })
        {
            var rgb = _fx[name];
            var error = MaxError(rgb, Lab.lab_to_rgb(Lab.rgb_to_lab(rgb)));
            output.WriteLine($"{name}: rgb → lab → rgb max |error| {error:E2} (float32)");
            Assert.True(error < 1 / 255.0, $"{name}: round trip is off by {error}");
        }
    }

    [Fact]
    public void Network_scaling_maps_into_minus_one_one_and_back()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"];
        var (l, ab) = Lab.to_network(rgb);
        Assert.Equal([2L, 1L, 24L, 24L], l.shape);
        Assert.Equal([2L, 2L, 24L, 24L], ab.shape);
        // the images hold black and white, so L spans the whole range
        Assert.Equal(-1.0, l.min().item<float>(), 4);
        Assert.Equal(1.0, l.max().item<float>(), 4);
        TestSupport.AssertClose(_fx["lab"].narrow(1, 1, 2) / Lab.AbScale, ab, "ab / 110", rtol: 0, atol: 1e-5);
        Assert.True(MaxError(rgb, Lab.from_network(l, ab)) < 1 / 255.0);

        // The RGB cube's corners are the gamut's extremes (|a| ≤ 98.3, |b| ≤ 107.9), so ab / 110 stays inside ±1.
        var corners = tensor(new float[] { 1, 0, 0, 0, 1, 1, 1, 0,   0, 1, 0, 1, 0, 1, 1, 0,   0, 0, 1, 1, 1, 0, 1, 0 }, [1, 3, 1, 8]).to(TestSupport.Device);
        var (cl, cab) = Lab.to_network(corners);
        var extreme = cab.abs().max().item<float>();
        output.WriteLine($"largest |ab| / 110 over the RGB cube's corners: {extreme:F4}");
        Assert.InRange(extreme, 0.9f, 1f);
        Assert.InRange(cl.min().item<float>(), -1.0001f, 1.0001f);
        Assert.InRange(cl.max().item<float>(), -1.0001f, 1.0001f);

        // a 3×H×W image gives 1×H×W and 2×H×W, and from_network takes them back
        var (l1, ab1) = Lab.to_network(rgb[0]);
        Assert.Equal([1L, 24L, 24L], l1.shape);
        Assert.Equal([2L, 24L, 24L], ab1.shape);
        Assert.Equal([3L, 24L, 24L], Lab.from_network(l1, ab1).shape);
    }

    [Fact]
    public void Gradients_stay_finite_at_black_white_and_out_of_gamut()
    {
        using var scope = NewDisposeScope();
        // the grid has L = 0 and 100, |ab| up to 128 and negative Z; ab = 0 sits on no branch edge in particular
        var lab = _fx["lab_grid"];
        var l = (lab.narrow(1, 0, 1) / Lab.LScale - 1).detach().requires_grad_();
        var ab = (lab.narrow(1, 1, 2) / Lab.AbScale).detach().requires_grad_();
        Lab.from_network(l, ab).sum().backward();
        Assert.True(l.grad!.isfinite().all().item<bool>() && ab.grad!.isfinite().all().item<bool>());
        var rgb = _fx["rgb"].detach().requires_grad_();   // holds exact 0s and 1s
        Lab.rgb_to_lab(rgb).sum().backward();
        Assert.True(rgb.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Half_precision_is_computed_in_float32()
    {
        using var scope = NewDisposeScope();
        var lab = Lab.rgb_to_lab(_fx["rgb"].to(ScalarType.Float16));
        Assert.Equal(ScalarType.Float32, lab.dtype);
        output.WriteLine($"rgb2lab from float16 RGB: max |error| {MaxError(_fx["lab"], lab):E2} (Lab units)");
        // only the float16 rounding of the input remains (up to 2.4e-4 relative on RGB)
        TestSupport.AssertClose(_fx["lab"], lab, "rgb2lab from float16", rtol: 0, atol: 0.2);
    }

    [Fact]
    public void Wrong_shapes_and_types_are_refused_with_the_shape_in_the_message()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => Lab.rgb_to_lab(zeros(2, 4, 8, 8)));
        Assert.Contains("[2, 4, 8, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Lab.lab_to_rgb(zeros(8, 8)));
        Assert.Contains("[8, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Lab.to_network(zeros(1, 1, 3, 8, 8)));
        Assert.Contains("[1, 1, 3, 8, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Lab.rgb_to_lab(zeros([1, 3, 4, 4], ScalarType.Byte)));
        Assert.Contains("floating-point", e.Message);
        e = Assert.Throws<ArgumentException>(() => Lab.from_network(zeros(2, 1, 8, 8), zeros(2, 2, 8, 9)));
        Assert.Contains("[2, 1, 8, 8]", e.Message);
        Assert.Contains("[2, 2, 8, 9]", e.Message);
        Assert.Throws<ArgumentException>(() => Lab.from_network(zeros(2, 2, 8, 8), zeros(2, 2, 8, 8)));
        Assert.Throws<ArgumentException>(() => Lab.from_network(zeros(2, 1, 8, 8), zeros(3, 2, 8, 8)));
    }

    [Fact]
    public void Outside_a_scope_only_the_results_stay_alive()
    {
        var rgb = _fx["rgb"];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = TestSupport.SettledLiveCount();
        using (var lab = Lab.rgb_to_lab(rgb))
        using (var back = Lab.lab_to_rgb(lab))
        {
            Assert.Equal(before + 2, LiveTensorCount);
            var (l, ab) = Lab.to_network(rgb);
            using (l)
            using (ab)
            using (var again = Lab.from_network(l, ab))
                Assert.Equal(before + 5, LiveTensorCount);
        }
        Assert.Equal(before, LiveTensorCount);
    }
}
