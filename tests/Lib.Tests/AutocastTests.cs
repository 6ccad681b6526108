using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Tests;

/// <summary>
/// torch.autocast on the CPU (bfloat16): inside, a convolution runs in bfloat16 and agrees with float32 to bfloat16's
/// precision (8 bits of mantissa: about 0.4 % per value, and sums of products round once more); losses and parameter
/// gradients stay float32; scopes nest and restore what they found.
/// </summary>
public class AutocastTests
{
    [Fact]
    public void Convolutions_run_in_bfloat16_inside_and_float32_outside()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn(2, 8, 16, 16);
        var w = randn(16, 8, 3, 3).mul_(0.1);
        var reference = F.conv2d(x, w, null, (1, 1), (1, 1), (1, 1), 1);
        Assert.False(is_autocast_enabled(DeviceType.CPU));
        Tensor mixed;
        using (autocast(DeviceType.CPU))
        {
            Assert.True(is_autocast_enabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, get_autocast_dtype(DeviceType.CPU));
            mixed = F.conv2d(x, w, null, (1, 1), (1, 1), (1, 1), 1);
            Assert.Equal(ScalarType.BFloat16, mixed.dtype);
            using (autocast(DeviceType.CPU, enabled: false))
            {
                Assert.False(is_autocast_enabled(DeviceType.CPU));
                Assert.Equal(ScalarType.Float32, F.conv2d(x, w, null, (1, 1), (1, 1), (1, 1), 1).dtype);
            }
            Assert.True(is_autocast_enabled(DeviceType.CPU));
        }
        Assert.False(is_autocast_enabled(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, F.conv2d(x, w, null, (1, 1), (1, 1), (1, 1), 1).dtype);
        // Relative to the output's scale: bfloat16 inputs (2⁻⁹ relative rounding each) over 72 products.
        var error = (mixed.to(ScalarType.Float32) - reference).abs().max().item<float>() / reference.abs().max().item<float>();
        Assert.InRange(error, 1e-5, 2e-2);
        Assert.Throws<ArgumentException>(() => autocast(DeviceType.CPU, ScalarType.Float16));
    }

    [Fact]
    public void A_training_step_keeps_float32_parameters_gradients_and_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var x = randn(2, 3, 8, 8);
        var target = randn(2, 4, 8, 8);
        Tensor loss;
        using (autocast(DeviceType.CPU))
            loss = F.mse_loss(conv.call(x), target);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        loss.backward();
        Assert.Equal(ScalarType.Float32, conv.weight.grad!.dtype);
        Assert.True(conv.weight.grad.abs().sum().item<float>() > 0);
    }
}
