using Lib.Losses;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The perceptual loss over several VGG19 layers with weights, MSE or L1, against PyTorch
/// (tools/make_vgg_layers_fixtures.py, on the random-weights VGG19 of vgg19_relu2_2.safetensors).
/// </summary>
public class PerceptualLayersTests
{
    private static string WeightsPath => TestSupport.Fixture("vgg19_relu2_2.safetensors");

    [Fact]
    public void Weighted_layers_match_pytorch_with_l1_and_mse()
    {
        var images = Safetensors.load(WeightsPath);
        var fx = Safetensors.load(TestSupport.Fixture("vgg19_layers.safetensors"));
        try
        {
            (string, double)[] layers = [("relu1_2", 0.25), ("relu2_2", 1.5)];
            using var l1 = new PerceptualLoss(WeightsPath, layers, FeatureDistance.L1);
            using var mse = new PerceptualLoss(WeightsPath, layers, FeatureDistance.MSE);
            using var one = new PerceptualLoss(WeightsPath, [("relu1_2", 1.0)], FeatureDistance.L1);
            using var scope = NewDisposeScope();
            var (a, b) = (images["input.a"], images["input.b"]);
            TestSupport.AssertClose(fx["expected.l1_weighted"], l1.call(a, b), "L1 over relu1_2 and relu2_2");
            TestSupport.AssertClose(fx["expected.mse_weighted"], mse.call(a, b), "MSE over relu1_2 and relu2_2");
            TestSupport.AssertClose(fx["expected.l1_relu1_2"], one.call(a, b), "L1 at relu1_2");
            Assert.Equal("relu2_2", l1.Network.layer);
            Assert.Equal(["relu1_2", "relu2_2"], l1.Network.layers);
        }
        finally
        {
            foreach (var t in images.Values.Concat(fx.Values)) t.Dispose();
        }
    }

    [Fact]
    public void The_one_layer_constructor_is_srgans_loss_unchanged()
    {
        var fx = Safetensors.load(WeightsPath);
        try
        {
            using var old = new PerceptualLoss(WeightsPath, "relu2_2");
            using var general = new PerceptualLoss(WeightsPath, [("relu2_2", 1.0)], FeatureDistance.MSE, PerceptualLoss.FeatureScale);
            using var scope = NewDisposeScope();
            var expected = old.call(fx["input.a"], fx["input.b"]);
            Assert.Equal(expected.item<float>(), general.call(fx["input.a"], fx["input.b"]).item<float>());
            Assert.Equal(FeatureDistance.MSE, old.distance);
            Assert.Equal([("relu2_2", 1.0)], old.layers);
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }

    [Fact]
    public void Several_layers_come_from_one_pass_in_the_order_asked()
    {
        manual_seed(0);
        using var vgg = new Vgg19(["relu2_2", "relu1_2"]);
        using var scope = NewDisposeScope();
        var x = rand(1, 3, 16, 16);
        var f = vgg.forward_layers(x);
        Assert.Equal([1L, 128, 8, 8], f[0].shape);
        Assert.Equal([1L, 64, 16, 16], f[1].shape);
        Assert.Equal(0f, (f[0] - vgg.call(x)).abs().max().item<float>());
        Assert.Throws<ArgumentException>(() => new Vgg19(Array.Empty<string>()));
        Assert.Contains("relu9_9", Assert.Throws<ArgumentException>(() => new PerceptualLoss(WeightsPath, [("relu9_9", 1.0)])).Message);
        Assert.Throws<ArgumentException>(() => new PerceptualLoss(WeightsPath, Array.Empty<(string, double)>()));
    }

    [Fact]
    public void Without_weights_the_layered_loss_refuses_too()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PerceptualLoss.WeightsVariable))) return; // a user's machine with weights
        var e = Assert.Throws<InvalidOperationException>(() => new PerceptualLoss(null, [("relu2_2", 1.0)], FeatureDistance.L1));
        Assert.Contains(PerceptualLoss.WeightsVariable, e.Message);
    }
}
