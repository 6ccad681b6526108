using Lib.Imaging;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>ECCV16 at 1/16 of the paper's widths against PyTorch (tools/make_colorizer_variant_fixtures.py).</summary>
public sealed class Eccv16Tests : IDisposable
{
    private readonly Dictionary<string, Tensor> _fx = TestSupport.LoadFixture("eccv16.safetensors");

    public void Dispose()
    {
        foreach (var t in _fx.Values) t.Dispose();
    }

    private Dictionary<string, Tensor> Weights(bool regression)
    {
        var w = _fx.Where(kv => kv.Key.StartsWith("weights.")).ToDictionary(kv => kv.Key["weights.".Length..], kv => kv.Value);
        if (regression)
            foreach (var k in new[] { "model8.6.weight", "model8.6.bias" }) w[k] = _fx["regression." + k];
        return w;
    }

    private Eccv16 Load(Eccv16Head head)
    {
        var net = new Eccv16(head, width: 1.0 / 16);
        net.to(TestSupport.Device);
        net.load_state_dict(Weights(head == Eccv16Head.Regression));
        return net;
    }

    [Fact]
    public void Layers_and_names_are_the_authors()
    {
        using var net = new Eccv16(width: 1.0 / 16);
        Assert.Equal(Weights(false).Keys.OrderBy(k => k), net.state_dict().Keys.OrderBy(k => k));
        Assert.Contains("model5.0.weight", net.state_dict().Keys);
        using var full = new Eccv16();
        var sd = full.state_dict();
        Assert.Equal([64L, 1, 3, 3], sd["model1.0.weight"].shape);
        Assert.Equal([512L, 512, 3, 3], sd["model6.4.weight"].shape);
        Assert.Equal([512L, 256, 4, 4], sd["model8.0.weight"].shape);
        Assert.Equal([261L, 256, 1, 1], sd["model8.6.weight"].shape);
        Assert.Equal(AbGamut.Srgb.count, full.gamut.count);
        using var reg = new Eccv16(Eccv16Head.Regression, 0.125);
        Assert.Equal([2L, 32, 1, 1], reg.state_dict()["model8.6.weight"].shape);
    }

    [Fact]
    public void Forward_matches_pytorch_in_eval_mode_with_the_colorization()
    {
        using var net = Load(Eccv16Head.Classification);
        net.eval();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var logits = net.call(_fx["x"]);
            TestSupport.AssertClose(_fx["eval.logits"], logits, "eval logits");
            TestSupport.AssertClose(_fx["eval.colorized"], net.to_ab(logits), "annealed mean ×4");
            TestSupport.AssertClose(_fx["eval.colorized"], net.colorize(_fx["x"]), "colorize");
        }
    }

    [Fact]
    public void Forward_matches_pytorch_in_train_mode()
    {
        using var net = Load(Eccv16Head.Classification);
        net.train();
        using var scope = NewDisposeScope();
        TestSupport.AssertClose(_fx["train.logits"], net.call(_fx["x"]), "train logits");
        TestSupport.AssertClose(_fx["train.running_mean.model4"], net.state_dict()["model4.6.running_mean"], "batch-norm running mean");
    }

    [Fact]
    public void Regression_head_matches_pytorch_with_its_input_gradient()
    {
        using var net = Load(Eccv16Head.Regression);
        using var scope = NewDisposeScope();
        net.eval();
        using (no_grad())
        {
            TestSupport.AssertClose(_fx["regression.eval.output"], net.call(_fx["x"]), "regression eval");
            TestSupport.AssertClose(_fx["regression.eval.colorized"], net.colorize(_fx["x"]), "regression ×4");
        }
        net.train();
        var x = _fx["x"].clone().requires_grad_();
        var y = net.call(x);
        TestSupport.AssertClose(_fx["regression.train.output"], y, "regression train");
        y.square().mean().backward();
        TestSupport.AssertClose(_fx["regression.train.grad_x"], x.grad!, "input gradient");
    }

    [Fact]
    public void Output_is_a_quarter_of_the_input_and_a_wrong_size_is_named()
    {
        manual_seed(0);
        using var net = new Eccv16(width: 1.0 / 16);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var logits = net.call(rand(3, 1, 32, 48));
            Assert.Equal([3L, 261, 8, 12], logits.shape);
            var ab = net.to_ab(logits);
            Assert.Equal([3L, 2, 32, 48], ab.shape);
            Assert.True(ab.abs().max().item<float>() <= 1, "ab in network scale stays within the gamut's ±100/110");
        }
        var e = Assert.Throws<ArgumentException>(() => net.call(rand(1, 1, 36, 32)));
        Assert.Contains("multiples of 8", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Eccv16(width: 0));
    }

    [Fact]
    public void A_training_step_leaks_no_tensors()
    {
        manual_seed(0);
        using var net = new Eccv16(Eccv16Head.Regression, width: 1.0 / 16);
        using var opt = optim.Adam(net.parameters(), 1e-3);
        using var l = rand(2, 1, 16, 16);
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            net.colorize(l).abs().mean().backward();
            opt.step();
        }
        Step(); // creates Adam's state and the gradients, which live as long as the optimizer and the net
        var before = TestSupport.SettledLiveCount();
        Step();
        Step();
        Assert.Equal(before, TestSupport.SettledLiveCount());
    }
}
