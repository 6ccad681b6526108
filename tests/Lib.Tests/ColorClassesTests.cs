using Lib.Imaging;
using Lib.Losses;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// ECCV16's color classes against tools/make_colorizer_variant_fixtures.py: the sRGB gamut (skimage over all
/// 256³ colors), soft encoding, class rebalancing, the rebalanced cross-entropy and the annealed mean.
/// </summary>
public sealed class ColorClassesTests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = TestSupport.LoadFixture("ab_gamut.safetensors");

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    [Fact]
    public void The_srgb_gamut_has_the_bins_scikit_image_finds_over_the_whole_cube()
    {
        var gamut = AbGamut.Srgb;
        Assert.Equal(261, gamut.count);
        Assert.Equal(10, gamut.grid);
        var expected = _fx["gamut.centres"].cpu().ToArray<double>();
        Assert.Equal(expected.Length, gamut.count * 2);
        for (var i = 0; i < gamut.count; i++)
            Assert.True(gamut.centres[i] == (expected[2 * i], expected[2 * i + 1]), $"bin {i}: {gamut.centres[i]} but skimage has ({expected[2 * i]}, {expected[2 * i + 1]})");
        Assert.Contains((0.0, 0.0), gamut.centres);
        var coarse = AbGamut.from_srgb(20);
        Assert.InRange(coarse.count, 50, 90); // about a quarter of the bins at twice the grid
        Assert.All(coarse.centres, c => Assert.True(c.a % 20 == 0 && c.b % 20 == 0));
    }

    [Fact]
    public void Nearest_bin_is_the_closest_centre()
    {
        using var scope = NewDisposeScope();
        var gamut = AbGamut.Srgb;
        var ab = tensor(new float[] { 0.04f, -0.52f, 43f / 110, 0f }, [1, 2, 2, 1]); // pixels (a, b) = (4.4, 43) and (-57.2, 0)
        var idx = gamut.nearest(ab).ToArray<long>();
        Assert.Equal((0.0, 40.0), gamut.centres[(int)idx[0]]);
        Assert.Equal((-60.0, 0.0), gamut.centres[(int)idx[1]]);
        Assert.Throws<ArgumentException>(() => gamut.nearest(zeros(1, 3, 2, 2)));
    }

    [Fact]
    public void Nearest_by_cell_equals_the_full_search_on_every_real_color()
    {
        using var scope = NewDisposeScope();
        var gamut = AbGamut.Srgb;
        manual_seed(3);
        // 64×64 random sRGB colors, plus the cube's corners (the most saturated ones).
        var rgb = rand(1, 3, 64, 64);
        rgb.narrow(2, 0, 1).narrow(3, 0, 8).copy_(tensor(new float[] { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, [1, 3, 1, 8]));
        var (_, ab) = Lab.to_network(rgb);
        Assert.Equal(gamut.nearest(ab).ToArray<long>(), gamut.nearest_by_cell(ab).ToArray<long>());
        // Far outside the gamut: the bin nearest the cell's centre, still a valid bin.
        var far = gamut.nearest_by_cell(full(new long[] { 1, 2, 1, 1 }, 3.0f)).item<long>();
        Assert.InRange(far, 0, gamut.count - 1);
    }

    [Fact]
    public void Soft_encoding_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        var z = SoftEncoding.encode(_fx["encode.ab"], AbGamut.Srgb);
        TestSupport.AssertClose(_fx["encode.dense"], z, "soft encoding");
        TestSupport.AssertClose(ones(2, 6, 6), z.sum(1), "soft encoding sums to 1");
        var (indices, weights) = SoftEncoding.nearest(_fx["encode.ab"], AbGamut.Srgb);
        Assert.Equal([2L, 5L, 6L, 6L], indices.shape);
        Assert.True((weights.narrow(1, 0, 1) >= weights.narrow(1, 4, 1)).all().item<bool>(), "the nearest bin weighs most");
    }

    [Fact]
    public void Soft_encoding_of_a_color_far_outside_the_gamut_stays_finite()
    {
        using var scope = NewDisposeScope();
        var z = SoftEncoding.encode(full([1, 2, 1, 1], -1.0), AbGamut.Srgb); // (a, b) = (-110, -110): 60+ units from any bin
        Assert.True(z.isfinite().all().item<bool>());
        Assert.Equal(1.0, z.sum().item<float>(), 5);
    }

    [Fact]
    public void Class_rebalancing_matches_numpy()
    {
        var rb = ClassRebalancing.from_batches([_fx["rebalance.ab0"], _fx["rebalance.ab1"]], AbGamut.Srgb);
        using var scope = NewDisposeScope();
        Assert.Equal(_fx["rebalance.counts"].cpu().ToArray<double>(), rb.counts);
        TestSupport.AssertClose(_fx["rebalance.empirical"], tensor(rb.empirical.ToArray()), "p", rtol: 1e-12, atol: 1e-15);
        TestSupport.AssertClose(_fx["rebalance.smoothed"], tensor(rb.smoothed.ToArray()), "smoothed p", rtol: 1e-10, atol: 1e-15);
        TestSupport.AssertClose(_fx["rebalance.weights"], tensor(rb.weights.ToArray()), "weights", rtol: 1e-10, atol: 1e-12);
        Assert.Equal(1.0, rb.smoothed.Zip(rb.weights, (p, w) => p * w).Sum(), 10);
        Assert.Equal(rb.weights, ClassRebalancing.from_counts(rb.counts, AbGamut.Srgb).weights);
        // λ = 1 is the uniform distribution: every weight 1.
        Assert.All(ClassRebalancing.from_counts(rb.counts, AbGamut.Srgb, lambda: 1).weights, w => Assert.Equal(1.0, w, 12));
        Assert.Throws<ArgumentException>(() => ClassRebalancing.from_batches([], AbGamut.Srgb));
    }

    [Fact]
    public void Rebalanced_cross_entropy_and_its_gradient_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var gamut = AbGamut.Srgb;
        var rb = ClassRebalancing.from_batches([_fx["rebalance.ab0"], _fx["rebalance.ab1"]], gamut);
        var logits = _fx["loss.logits"].clone().requires_grad_();
        var loss = new RebalancedCrossEntropy(gamut, rb).call(logits, _fx["loss.truth"]);
        TestSupport.AssertClose(_fx["loss.value"], loss, "rebalanced cross-entropy");
        loss.backward();
        TestSupport.AssertClose(_fx["loss.grad"], logits.grad!, "its gradient");
        using (no_grad())
            TestSupport.AssertClose(_fx["loss.unweighted"], new RebalancedCrossEntropy(gamut).call(_fx["loss.logits"], _fx["loss.truth"]), "unweighted");
        var e = Assert.Throws<ArgumentException>(() => new RebalancedCrossEntropy(gamut).call(_fx["loss.logits"], zeros(2, 2, 25, 24)));
        Assert.Contains("integer multiple", e.Message);
        Assert.Throws<ArgumentException>(() => new RebalancedCrossEntropy(gamut).call(zeros(2, 313, 6, 6), _fx["loss.truth"]));
    }

    [Fact]
    public void Annealed_mean_matches_the_papers_formula()
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            TestSupport.AssertClose(_fx["decode.ab"], AnnealedMean.decode(_fx["loss.logits"], AbGamut.Srgb), "annealed mean T = 0.38");
            TestSupport.AssertClose(_fx["decode.ab_t1"], AnnealedMean.decode(_fx["loss.logits"], AbGamut.Srgb, 1), "mean T = 1");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => AnnealedMean.decode(_fx["loss.logits"], AbGamut.Srgb, 0));
    }

    [Fact]
    public void Class_machinery_leaks_no_tensors()
    {
        var gamut = AbGamut.Srgb;
        var rb = ClassRebalancing.from_batches([_fx["rebalance.ab0"]], gamut);
        var ce = new RebalancedCrossEntropy(gamut, rb);
        var before = TestSupport.SettledLiveCount();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            var logits = _fx["loss.logits"].clone().requires_grad_();
            ce.call(logits, _fx["loss.truth"]).backward();
            AnnealedMean.decode(logits.detach(), gamut);
            SoftEncoding.encode(_fx["encode.ab"], gamut);
        }
        ClassRebalancing.from_batches([_fx["rebalance.ab0"]], gamut);
        Assert.Equal(before, TestSupport.SettledLiveCount());
    }
}
