using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Tests;

/// <summary>
/// The same small net as tools/make_fixtures.py, loaded with PyTorch's weights: forward, losses,
/// gradients, batch-norm statistics and optimizer steps must match PyTorch 1.13 to 1e-5 relative.
/// </summary>
public sealed class ParityTests : IDisposable
{
    private sealed class ParityNet : nn.Module<Tensor, (Tensor img, Tensor logit)>
    {
        private readonly Conv2d conv1, down, conv2;
        private readonly BatchNorm2d bn;
        private readonly PReLU act;
        private readonly ConvTranspose2d up;
        private readonly InstanceNorm2d norm;
        private readonly PixelShuffle shuffle;
        private readonly Linear head;

        public ParityNet() : base(nameof(ParityNet))
        {
            conv1 = register_module("conv1", nn.Conv2d(3, 8, 3, padding: 1, bias: false));
            bn = register_module("bn", nn.BatchNorm2d(8));
            down = register_module("down", nn.Conv2d(8, 16, 4, stride: 2, padding: 1));
            act = register_module("act", nn.PReLU());
            up = register_module("up", nn.ConvTranspose2d(16, 8, 4, stride: 2, padding: 1));
            norm = register_module("norm", nn.InstanceNorm2d(16, affine: true));
            conv2 = register_module("conv2", nn.Conv2d(8, 12, 3, padding: 1));
            shuffle = register_module("shuffle", nn.PixelShuffle(2));
            head = register_module("head", nn.Linear(3, 1));
        }

        public override (Tensor img, Tensor logit) forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = F.leaky_relu(bn.call(conv1.call(x)), 0.2);
            h = norm.call(act.call(down.call(h)));
            h = up.call(h);
            var img = shuffle.call(conv2.call(h)).tanh();
            var logit = head.call(F.adaptive_avg_pool2d(img, (1, 1)).flatten(1));
            return (img.MoveToOuterDisposeScope(), logit.MoveToOuterDisposeScope());
        }
    }

    private readonly Dictionary<string, Tensor> _fx = TestSupport.LoadFixture("parity_net.safetensors");
    private readonly ParityNet _net = new();

    public ParityTests()
    {
        _net.to(TestSupport.Device);
        _net.load_state_dict(Prefixed("init."));
    }

    public void Dispose()
    {
        _net.Dispose();
        foreach (var t in _fx.Values) t.Dispose();
    }

    private Dictionary<string, Tensor> Prefixed(string prefix) =>
        _fx.Where(kv => kv.Key.StartsWith(prefix)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private Dictionary<string, Tensor> Losses(Tensor img, Tensor logit)
    {
        var (target, label) = (_fx["target"], _fx["label"]);
        using var prob = logit.sigmoid();
        return new()
        {
            ["l1"] = nn.L1Loss().call(img, target),
            ["mse"] = nn.MSELoss().call(img, target),
            ["bce"] = nn.BCELoss().call(prob, label),
            ["bce_logits"] = nn.BCEWithLogitsLoss().call(logit, label),
        };
    }

    private Tensor TotalLoss(Tensor x)
    {
        var (img, logit) = _net.call(x);
        var l = Losses(img, logit);
        return l["l1"] + l["mse"] + l["bce"] + l["bce_logits"];
    }

    [Fact]
    public void State_dict_keys_are_pytorchs()
    {
        Assert.Equal(Prefixed("init.").Keys.OrderBy(k => k), _net.state_dict().Keys.OrderBy(k => k));
    }

    [Fact]
    public void Forward_losses_and_gradients_match_pytorch_in_training_mode()
    {
        using var scope = NewDisposeScope();
        _net.train();
        var x = _fx["x"].clone().requires_grad_();
        var (img, logit) = _net.call(x);
        TestSupport.AssertClose(_fx["train.img"], img, "train img");
        TestSupport.AssertClose(_fx["train.logit"], logit, "train logit");
        var losses = Losses(img, logit);
        foreach (var (k, v) in losses) TestSupport.AssertClose(_fx["loss." + k], v, "loss " + k);
        var total = losses["l1"] + losses["mse"] + losses["bce"] + losses["bce_logits"];
        total.backward();
        TestSupport.AssertClose(_fx["grad.x"], x.grad!, "input gradient");
        foreach (var (name, p) in _net.named_parameters())
            TestSupport.AssertClose(_fx["grad." + name], p.grad!, "gradient of " + name);
        foreach (var (name, t) in _net.state_dict().Where(kv => kv.Key.StartsWith("bn.")))
            TestSupport.AssertClose(_fx["after_train." + name], t, "batch-norm state " + name);
    }

    [Fact]
    public void Eval_mode_uses_running_statistics()
    {
        using var scope = NewDisposeScope();
        _net.train();
        using (no_grad()) _net.call(_fx["x"]); // one training forward updates the running stats, as in the fixture
        _net.eval();
        using (no_grad())
        {
            var (img, logit) = _net.call(_fx["x"]);
            TestSupport.AssertClose(_fx["eval.img"], img, "eval img");
            TestSupport.AssertClose(_fx["eval.logit"], logit, "eval logit");
        }
    }

    [Fact]
    public void Three_adam_steps_match_pytorch()
    {
        _net.train();
        using var opt = optim.Adam(_net.parameters(), lr: 1e-2, beta1: 0.5, beta2: 0.999);
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            TotalLoss(_fx["x"]).backward();
            opt.step();
        }
        foreach (var (name, t) in _net.state_dict())
            TestSupport.AssertClose(_fx["adam3." + name], t, "after 3 Adam steps: " + name);
    }

    [Fact]
    public void Three_sgd_momentum_steps_match_pytorch()
    {
        _net.train();
        using var opt = optim.SGD(_net.parameters(), lr: 1e-2, momentum: 0.9, weight_decay: 1e-4);
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            TotalLoss(_fx["x"]).backward();
            opt.step();
        }
        foreach (var (name, p) in _net.named_parameters())
            TestSupport.AssertClose(_fx["sgd3." + name], p, "after 3 SGD steps: " + name);
    }

    [Fact]
    public void Resizing_matches_pytorch_including_antialiased_bicubic()
    {
        var fx = TestSupport.LoadFixture("resize.safetensors");
        try
        {
            using var scope = NewDisposeScope();
            var img = fx["img"];
            TestSupport.AssertClose(fx["bicubic_aa_13x11"], F.interpolate(img, (13, 11), mode: nn.UpsampleMode.Bicubic, align_corners: false, antialias: true), "bicubic antialias");
            TestSupport.AssertClose(fx["bilinear_aa_8x8"], F.interpolate(img, (8, 8), mode: nn.UpsampleMode.Bilinear, antialias: true), "bilinear antialias");
            var small = img.narrow(2, 0, 8).narrow(3, 0, 8);
            TestSupport.AssertClose(fx["bicubic_up_x4"], F.interpolate(small, scale_factor: 4, mode: nn.UpsampleMode.Bicubic, align_corners: false), "bicubic x4");
            TestSupport.AssertClose(fx["nearest_up_x2"], nn.Upsample(scale_factor: 2).call(img), "nearest x2");
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }
}
