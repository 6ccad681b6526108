using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// Forward-only convolutions run channels-last inside module calls (lib/Torch/NN/ChannelsLastInference.cs): the
/// generators give the same output as with the path off (float32 summation order aside), hand it back contiguous,
/// and a training forward is untouched. Alone in the process-wide collection: the switch is global.
/// </summary>
[Collection(FastPathSwitchCollection.Name)]
public sealed class ChannelsLastInferenceTests : IDisposable
{
    private readonly bool _wasEnabled = nn.ChannelsLastInference.Enabled;
    private readonly bool _subPixel = nn.SubPixelConvTranspose.Enabled;

    public ChannelsLastInferenceTests() => nn.SubPixelConvTranspose.Enabled = true;

    public void Dispose()
    {
        nn.ChannelsLastInference.Enabled = _wasEnabled;
        nn.SubPixelConvTranspose.Enabled = _subPixel;
    }

    public static TheoryData<string> Models => new() { "pix2pix", "report", "srresnet" };

    private static nn.Module<Tensor, Tensor> Make(string name) => name switch
    {
        "pix2pix" => new UnetGenerator(1, 2, 6, 16),
        "report" => new ReportUnet(1, 2, 16),
        _ => new SRResNet(4, 2, 16),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Generators_give_the_same_output_and_hand_it_back_contiguous(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var g = Make(name);
        g.eval();
        var x = rand(2, name == "srresnet" ? 3 : 1, 64, 64);
        using var _ = no_grad();
        nn.ChannelsLastInference.Enabled = false;
        var reference = g.call(x);
        nn.ChannelsLastInference.Enabled = true;
        var y = g.call(x);
        Assert.True(y.is_contiguous(), $"{name}: the output came back with strides [{string.Join(", ", y.stride())}]");
        Assert.Equal(reference.shape, y.shape);
        var diff = (y - reference).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"{name}: channels-last output differs by {diff}");
    }

    [Fact]
    public void Inner_calls_stay_channels_last_and_the_outermost_restores()
    {
        using var scope = NewDisposeScope();
        nn.ChannelsLastInference.Enabled = true;
        var conv = nn.Conv2d(8, 8, 3, padding: 1);
        using var model = nn.Sequential(conv, nn.ReLU());
        var x = rand(1, 8, 32, 32);
        using var _ = no_grad();
        Assert.True(model.call(x).is_contiguous());
        // A conv called by itself is an outermost call too.
        Assert.True(conv.call(x).is_contiguous());
        // Functional calls outside any module are left alone.
        Assert.True(nn.functional.conv2d(x, conv.weight, conv.bias, padding: (1, 1)).is_contiguous());
    }

    [Fact]
    public void Training_forwards_are_untouched()
    {
        using var scope = NewDisposeScope();
        nn.ChannelsLastInference.Enabled = true;
        using var conv = nn.Conv2d(8, 8, 3, padding: 1);
        var x = rand(1, 8, 32, 32);
        Assert.False(nn.ChannelsLastInference.Applies(x, conv.weight));
        var y = conv.call(x);
        Assert.True(y.is_contiguous());
        y.sum().backward();
        Assert.NotNull(conv.weight.grad);
    }
}
