using Lib.Torch;
using Lib.Torch.Optimizers;
using Xunit.Abstractions;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The fused Adam and SGD (one native pass per parameter, native/src/optim_fused.cpp) against the per-op path, which
/// runs PyTorch 1.13's single-tensor update as the same ATen calls (ParityTests pins that path to PyTorch's fixture).
/// Sizes include an odd tail and a float64 parameter, which takes the foreach fallback inside the fused call (what
/// CUDA parameters take).
/// </summary>
public class FusedOptimizerTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configs => new()
    {
        "adam", "adam wd", "adam amsgrad", "adam amsgrad wd", "sgd", "sgd momentum", "sgd momentum dampening wd", "sgd nesterov wd",
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Fused_matches_the_per_op_update(string config)
    {
        using var scope = NewDisposeScope();
        var shapes = new long[][] { [100_003], [64, 3, 4, 4], [7] };
        (List<nn.Parameter> ps, Optimizer opt) Make(bool fused)
        {
            manual_seed(3);
            var ps = shapes.Select(s => new nn.Parameter(randn(s))).ToList();
            ps.Add(new nn.Parameter(randn([5, 5], ScalarType.Float64)));
            var wd = config.Contains("wd") ? 1e-2 : 0;
            Optimizer opt = config.StartsWith("adam")
                ? optim.Adam(ps, 1e-2, 0.5, 0.999, weight_decay: wd, amsgrad: config.Contains("amsgrad"))
                : optim.SGD(ps, 1e-2, momentum: config.Contains("momentum") || config.Contains("nesterov") ? 0.9 : 0,
                    dampening: config.Contains("dampening") ? 0.1 : 0, weight_decay: wd, nesterov: config.Contains("nesterov"));
            opt.fused = fused;
            return (ps, opt);
        }
        var (a, optA) = Make(true);
        var (b, optB) = Make(false);
        using (optA)
        using (optB)
        {
            var start = a.Select(p => p.detach().clone()).ToList();
            for (var step = 0; step < 5; step++)
            {
                manual_seed(100 + step);
                foreach (var (pa, pb) in a.Zip(b))
                {
                    var g = randn(pa.shape, pa.dtype);
                    pa.grad = g;
                    pb.grad = g.clone();
                }
                optA.step();
                optB.step();
            }
            double worst = 0;
            for (var i = 0; i < a.Count; i++)
            {
                var diff = a[i].detach().sub(b[i].detach()).abs().max().item<double>();
                var scale = b[i].detach().abs().max().item<double>();
                worst = Math.Max(worst, diff / scale);
                Assert.True(diff <= 1e-6 * scale, $"{config}, parameter {i}: max |Δ| {diff:g3} against {scale:g3}");
                // The float64 parameter goes through the foreach ops (the CUDA route), which on the CPU are ATen's per-op kernels.
                if (a[i].dtype == ScalarType.Float64) Assert.True(diff == 0, $"{config}: the foreach path differs from the per-op path by {diff:g3}");
                Assert.True(a[i].detach().sub(start[i]).abs().max().item<double>() > 1e-4, $"{config}: parameter {i} did not move");
            }
            output.WriteLine($"{config}: largest relative difference after 5 steps {worst:g3}");
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void A_fused_step_counts_as_an_in_place_change_for_autograd(string which)
    {
        using var scope = NewDisposeScope();
        var p = new nn.Parameter(randn(100));
        using Optimizer opt = which == "adam" ? optim.Adam([p], 1e-2) : optim.SGD([p], 1e-2, momentum: 0.9);
        opt.fused = true;
        var y = (p * p).sum(); // saves p for its backward
        p.grad = ones(100);
        opt.step();
        var e = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("inplace", e.Message);
    }

    [Fact]
    public void Adam_state_saved_by_the_fused_path_resumes_on_the_per_op_path()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var p = new nn.Parameter(randn(1000));
        var q = new nn.Parameter(p.detach().clone());
        using var fused = optim.Adam([p], 1e-2);
        using var plain = optim.Adam([q], 1e-2);
        fused.fused = true;
        plain.fused = false;
        for (var i = 0; i < 3; i++)
        {
            var g = randn(1000);
            p.grad = g;
            q.grad = g.clone();
            fused.step();
            plain.step();
        }
        var saved = fused.state_dict();
        Assert.Equal(3.0, saved["state.0.step"].item<double>());
        foreach (var t in saved.Values) t.Dispose();
        Assert.True(p.detach().sub(q.detach()).abs().max().item<double>() < 1e-6);
    }

    /// <summary>LIB_FAST_PATHS=0 starts a process on the plain ATen path (sub-pixel ConvTranspose2d and fused optimizers off).</summary>
    [Theory]
    [InlineData("", "sub-pixel True fused True")]
    [InlineData("0", "sub-pixel False fused False")]
    [InlineData("false", "sub-pixel False fused False")]
    [InlineData("1", "sub-pixel True fused True")]
    public void The_environment_can_start_a_process_without_the_fast_paths(string value, string expected)
    {
        var output = Child.RunToEnd(["fast-paths"], new Dictionary<string, string> { [FastPaths.Variable] = value });
        Assert.Contains(expected, output);
    }
}
