using Lib.Torch;
using Lib.Torch.Modules;
using static Lib.Torch.torch;
using static Lib.Tests.TestSupport;

namespace Lib.Tests;

/// <summary>
/// nn.utils.spectral_norm (lib/Torch/NN/SpectralNorm.cs) against torch.nn.utils.spectral_norm on a fixture from
/// tools/make_spectral_norm_fixtures.py: the same starting u and v give the same u, v and outputs over two training forwards,
/// the same weight gradient through σ, and the same evaluation forward, which leaves u and v alone.
/// </summary>
public class SpectralNormTests
{
    /// <summary>The fixture's conv under spectral norm, with PyTorch's weight, bias and starting u and v (strict: every key used).</summary>
    private static Lib.Torch.Modules.Conv2d FromFixture(Dictionary<string, Tensor> fx)
    {
        var conv = nn.Conv2d(3, 8, 4, stride: 2, padding: 1);
        nn.utils.spectral_norm(conv);
        conv.to(TestSupport.Device);
        var (missing, unexpected) = conv.load_state_dict(new Dictionary<string, Tensor>
        {
            ["weight"] = fx["weight"], ["bias"] = fx["bias"], ["weight_u"] = fx["u0"], ["weight_v"] = fx["v0"],
        });
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        return conv;
    }

    [Fact]
    public void Matches_pytorch_in_training_and_evaluation()
    {
        var fx = LoadFixture("spectral_norm.safetensors");
        try
        {
            using var scope = NewDisposeScope();
            using var conv = FromFixture(fx);

            conv.train();
            AssertClose(fx["y1"], conv.call(fx["input"]), "first training output");
            AssertClose(fx["u1"], conv.spectral_norm!.u, "u after one iteration");
            AssertClose(fx["v1"], conv.spectral_norm.v, "v after one iteration");
            var y2 = conv.call(fx["input"]);
            AssertClose(fx["y2"], y2, "second training output");
            y2.sum().backward();
            AssertClose(fx["weight_grad"], conv.weight.grad!, "weight gradient through σ", rtol: 1e-4, atol: 1e-5);

            conv.eval();
            using (no_grad())
            {
                AssertClose(fx["y_eval"], conv.call(fx["input"]), "evaluation output");
                AssertClose(fx["u2"], conv.spectral_norm.u, "u unchanged by evaluation");
            }
        }
        finally
        {
            foreach (var t in fx.Values) t.Dispose();
        }
    }

    [Fact]
    public void Power_iteration_finds_the_largest_singular_value_and_is_saved_with_the_module()
    {
        var fx = LoadFixture("spectral_norm.safetensors");
        try
        {
            using var scope = NewDisposeScope();
            using var conv = FromFixture(fx);
            using var x = randn(1, 3, 8, 8).to(TestSupport.Device);
            for (var i = 0; i < 50; i++) conv.call(x).Dispose();
            using var matrix = conv.weight.reshape(8, -1);
            var sigma = conv.spectral_norm!.u.mul(matrix.matmul(conv.spectral_norm.v)).sum().item<float>();
            Assert.Equal(fx["sigma_svd"].item<float>(), sigma, 3);
            // The normalized weight's largest singular value is then 1: its layer cannot stretch an input by more.
            var state = conv.state_dict();
            Assert.Contains("weight_u", state.Keys);
            Assert.Contains("weight_v", state.Keys);
            Assert.Contains("spectral_norm", conv.ToString());
        }
        finally
        {
            foreach (var t in fx.Values) t.Dispose();
        }
    }
}
