using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>The coarse-to-fine colorizer at two scales against PyTorch (tools/make_colorizer_variant_fixtures.py).</summary>
public sealed class CoarseToFineTests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = TestSupport.LoadFixture("coarse_to_fine.safetensors");

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    private CoarseToFine Load()
    {
        var inner = new FcnColorizer(3, 2, channels: 4, depth: 2);
        inner.to(TestSupport.Device);
        inner.load_state_dict(_fx.Where(kv => kv.Key.StartsWith("weights.")).ToDictionary(kv => kv.Key["weights.".Length..], kv => kv.Value));
        return new CoarseToFine(inner, num_scales: 2);
    }

    [Fact]
    public void Every_scale_matches_pytorch_in_eval_and_train_mode_and_with_teacher_forcing()
    {
        using var net = Load();
        using var scope = NewDisposeScope();
        net.eval();
        using (no_grad())
        {
            var p = net.forward_scales(_fx["l"]);
            Assert.Equal([2L, 2, 8, 8], p[0].shape);
            TestSupport.AssertClose(_fx["eval.scale0"], p[0], "eval, scale 8");
            TestSupport.AssertClose(_fx["eval.scale1"], p[1], "eval, scale 16");
            TestSupport.AssertClose(_fx["eval.scale1"], net.call(_fx["l"]), "forward is the finest scale");
            var t = net.forward_scales(_fx["l"], _fx["truth"]);
            TestSupport.AssertClose(_fx["teacher.scale0"], t[0], "teacher forcing, scale 8");
            TestSupport.AssertClose(_fx["teacher.scale1"], t[1], "teacher forcing, scale 16");
        }
        net.train();
        var q = net.forward_scales(_fx["l"]);
        TestSupport.AssertClose(_fx["train.scale0"], q[0], "train, scale 8");
        TestSupport.AssertClose(_fx["train.scale1"], q[1], "train, scale 16");
        TestSupport.AssertClose(_fx["train.running_var.inc"], net.state_dict()["colorizer.inc.1.running_var"], "running statistics, updated at each scale");
    }

    [Fact]
    public void Shared_or_per_scale_weights_and_any_multiple_of_the_stride()
    {
        manual_seed(0);
        using var shared = CoarseToFine.WithFcn(num_scales: 3, channels: 4, depth: 2);
        using var separate = CoarseToFine.WithFcn(num_scales: 3, shared_weights: false, channels: 4, depth: 2);
        Assert.True(shared.shared_weights);
        Assert.False(separate.shared_weights);
        Assert.Equal(3 * shared.parameters().Count(), separate.parameters().Count());
        Assert.Contains("colorizers.2.out.weight", separate.state_dict().Keys);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (h, w) in new[] { (16L, 16L), (32L, 48L) })
            {
                var p = shared.forward_scales(rand(1, 1, h, w));
                Assert.Equal([[1L, 2, h / 4, w / 4], [1L, 2, h / 2, w / 2], [1L, 2, h, w]], p.Select(t => t.shape));
            }
            // pix2pix's U-Net (3 channels in) as the colorizer, where the coarsest scale is at least 32 px.
            using var unet = new CoarseToFine(new UnetGenerator(3, 2, num_downs: 5, ngf: 4), 2);
            Assert.Equal([1L, 2, 64, 64], unet.call(rand(1, 1, 64, 64)).shape);
            // A shared colorizer trained at 3 scales runs at 4 on a photo twice as large.
            using var more = new CoarseToFine(shared.at_scale(0), 4);
            Assert.Equal([1L, 2, 64, 64], more.call(rand(1, 1, 64, 64)).shape);
        }
        Assert.Contains("multiples of 4", Assert.Throws<ArgumentException>(() => shared.call(rand(1, 1, 18, 16))).Message);
        Assert.Contains("multiples of 4", Assert.Throws<ArgumentException>(() => shared.call(rand(1, 1, 8, 8))).Message); // the coarsest 2×2 is below the FCN's stride
        Assert.Contains("truth", Assert.Throws<ArgumentException>(() => shared.forward_scales(rand(1, 1, 16, 16), rand(1, 2, 8, 8))).Message);
    }

    [Fact]
    public void Loss_at_every_scale_trains_every_scale_and_leaks_nothing()
    {
        manual_seed(0);
        using var net = CoarseToFine.WithFcn(num_scales: 2, shared_weights: false, channels: 4, depth: 1);
        using var opt = optim.Adam(net.parameters(), 1e-2);
        using var l = rand(2, 1, 8, 8);
        using var truth = rand(2, 2, 8, 8) * 0.5;
        var before = 0L;
        for (var i = 0; i < 3; i++)
        {
            if (i == 1) before = TestSupport.SettledLiveCount(); // after Adam's state and the gradients exist
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var p = net.forward_scales(l, truth);
            var loss = nn.functional.l1_loss(p[0], CoarseToFine.downscale(truth, 2)) + nn.functional.l1_loss(p[1], truth);
            loss.backward();
            Assert.All(net.parameters(), q => Assert.NotNull(q.grad));
            opt.step();
        }
        Assert.Equal(before, TestSupport.SettledLiveCount());
    }
}
