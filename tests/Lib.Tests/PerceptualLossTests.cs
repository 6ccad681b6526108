using Lib.Losses;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>VGG19 with torchvision's names and the SRGAN perceptual loss against PyTorch (tools/make_vgg_fixtures.py).</summary>
public class PerceptualLossTests
{
    private static string FixturePath => TestSupport.Fixture("vgg19_relu2_2.safetensors");

    [Fact]
    public void Vgg19_uses_torchvisions_parameter_names()
    {
        using var vgg = new Vgg19("relu2_2");
        Assert.Equal(["features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                      "features.5.weight", "features.5.bias", "features.7.weight", "features.7.bias"], vgg.state_dict().Keys);
        using var full = new Vgg19();
        Assert.Contains("features.34.weight", full.state_dict().Keys);
        Assert.Throws<ArgumentException>(() => new Vgg19("relu9_9"));
    }

    [Fact]
    public void Perceptual_loss_matches_pytorch_with_a_torchvision_format_file()
    {
        var fx = Safetensors.load(FixturePath);
        try
        {
            using var loss = new PerceptualLoss(FixturePath, "relu2_2");
            using var scope = NewDisposeScope();
            TestSupport.AssertClose(fx["expected.features_a"], loss.Network.call((fx["input.a"] - tensor(new float[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1])) / tensor(new float[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1])) / 12.75, "relu2_2 features");
            TestSupport.AssertClose(fx["expected.loss"], loss.call(fx["input.a"], fx["input.b"]), "perceptual loss");
            Assert.All(loss.Network.parameters(), p => Assert.False(p.requires_grad));
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }

    [Fact]
    public void Without_weights_the_loss_refuses_and_names_the_setting()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PerceptualLoss.WeightsVariable))) return; // a user's machine with weights
        var e = Assert.Throws<InvalidOperationException>(() => new PerceptualLoss());
        Assert.Contains(PerceptualLoss.WeightsVariable, e.Message);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-vgg19.safetensors");
        var f = Assert.Throws<FileNotFoundException>(() => new PerceptualLoss(missing));
        Assert.Contains(missing, f.Message);
    }
}
