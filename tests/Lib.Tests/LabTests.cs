using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>Lab conversions against scikit-image (tools/make_color_metric_fixtures.py).</summary>
public sealed class LabTests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = Safetensors.load(TestSupport.Fixture("color_metrics.safetensors"));

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    [Fact]
    public void Rgb_to_lab_matches_skimage()
    {
        using var scope = NewDisposeScope();
        TestSupport.AssertClose(_fx["lab"], Lab.rgb_to_lab(_fx["rgb"].to(ScalarType.Float32)), "rgb2lab", rtol: 0, atol: 1e-3);
        TestSupport.AssertClose(_fx["lab"], Lab.rgb_to_lab(_fx["rgb"]), "rgb2lab (float64)", rtol: 0, atol: 1e-6);
    }

    [Fact]
    public void Lab_to_rgb_matches_skimage_including_out_of_gamut_clipping()
    {
        using var scope = NewDisposeScope();
        TestSupport.AssertClose(_fx["lab_grid_rgb"], Lab.lab_to_rgb(_fx["lab_grid"].to(ScalarType.Float32)), "lab2rgb grid", rtol: 0, atol: 1e-3);
        TestSupport.AssertClose(_fx["rgb"], Lab.lab_to_rgb(_fx["lab"]), "lab2rgb", rtol: 0, atol: 1e-6);
    }

    [Fact]
    public void Round_trip_is_within_one_level()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"].to(ScalarType.Float32);
        var back = Lab.lab_to_rgb(Lab.rgb_to_lab(rgb));
        Assert.True((back - rgb).abs().max().item<float>() < 1 / 255f);
        // an unbatched 3×H×W image works too
        Assert.Equal([3L, 24L, 24L], Lab.rgb_to_lab(rgb[0]).shape);
    }

    [Fact]
    public void Network_scaling_maps_to_about_minus_one_one_and_back()
    {
        using var scope = NewDisposeScope();
        var rgb = _fx["rgb"].to(ScalarType.Float32);
        var (l, ab) = Lab.to_network(rgb);
        Assert.Equal([2L, 1L, 24L, 24L], l.shape);
        Assert.Equal([2L, 2L, 24L, 24L], ab.shape);
        Assert.InRange(l.min().item<float>(), -1.0001f, 1f);
        Assert.InRange(l.max().item<float>(), -1f, 1.0001f);
        Assert.True(ab.abs().max().item<float>() <= 1.0f);
        Assert.True((Lab.from_network(l, ab) - rgb).abs().max().item<float>() < 1 / 255f);
        Assert.Throws<ArgumentException>(() => Lab.rgb_to_lab(zeros(2, 4, 8, 8)));
    }
}
