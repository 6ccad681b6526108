using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

public class ModuleTests
{
    [Fact]
    public void Default_init_follows_pytorch_bounds()
    {
        manual_seed(1);
        using var conv = nn.Conv2d(16, 8, 3);
        var bound = 1 / Math.Sqrt(16 * 9);
        Assert.True(conv.weight.abs().max().item<float>() <= bound + 1e-7);
        Assert.True(conv.weight.abs().max().item<float>() > bound * 0.9);
        Assert.True(conv.bias!.abs().max().item<float>() <= bound + 1e-7);
        using var convT = nn.ConvTranspose2d(16, 8, 4);
        Assert.True(convT.weight.abs().max().item<float>() <= 1 / Math.Sqrt(8 * 16) + 1e-7);
    }

    [Fact]
    public void Train_eval_and_dtype_conversion_keep_parameter_objects()
    {
        using var m = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5));
        var p = m.parameters().First();
        m.eval();
        Assert.All(m.modules(), x => Assert.False(x.training));
        m.to(float64);
        Assert.Same(p, m.parameters().First());
        Assert.Equal(ScalarType.Float64, p.dtype);
        Assert.True(p.requires_grad);
        using var y = m.call(ones([1, 2], float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void Printing_and_parameter_count()
    {
        using var m = nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), nn.LeakyReLU(0.2));
        Assert.Equal(2 * 9 + 2, m.parameter_count());
        var s = m.ToString();
        Assert.Contains("(0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", s);
        Assert.Contains("(1): LeakyReLU(negative_slope=0.2)", s);
    }

    [Fact]
    public void Learning_rate_schedules()
    {
        using var m = nn.Linear(1, 1);
        using var opt = optim.Adam(m.parameters(), lr: 1.0);
        var step = optim.lr_scheduler.StepLR(opt, step_size: 2, gamma: 0.5);
        var seen = new List<double>();
        for (var e = 0; e < 5; e++) { seen.Add(opt.lr); step.step(); }
        Assert.Equal([1, 1, 0.5, 0.5, 0.25], seen);
        using var opt2 = optim.SGD(m.parameters(), lr: 1.0);
        var decay = optim.lr_scheduler.LinearDecay(opt2, n_epochs: 2, n_epochs_decay: 3);
        seen.Clear();
        for (var e = 0; e < 5; e++) { seen.Add(Math.Round(opt2.lr, 6)); decay.step(); }
        // pix2pix: n_epochs at the full rate, then n_epochs_decay steps down towards (not reaching) zero
        Assert.Equal([1, 1, 0.75, 0.5, 0.25], seen);
        using var opt3 = optim.SGD(m.parameters(), lr: 1.0);
        var linear = optim.lr_scheduler.LinearLR(opt3, start_factor: 1, end_factor: 0.1, total_iters: 3);
        seen.Clear();
        for (var e = 0; e < 5; e++) { seen.Add(Math.Round(opt3.lr, 6)); linear.step(); }
        Assert.Equal([1, 0.7, 0.4, 0.1, 0.1], seen);
    }
}
