using System.Text.Json;
using Lib.Imaging;
using Lib.Models;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

public class SuperResolutionTests
{
    [Fact]
    public void SRResNet_upscales_by_four_into_the_unit_range()
    {
        manual_seed(0);
        using var g = new SRResNet(scale: 4, num_blocks: 2, channels: 8);
        using var scope = NewDisposeScope();
        var y = g.call(rand(2, 3, 12, 16));
        Assert.Equal([2L, 3L, 48L, 64L], y.shape);
        Assert.True(y.min().item<float>() >= 0 && y.max().item<float>() <= 1);
        Assert.Contains("residuals.1.body.3.weight", g.state_dict().Keys);
    }

    [Fact]
    public void SRGAN_discriminator_gives_one_logit_per_image_and_names_a_wrong_size()
    {
        using var d = new SRGANDiscriminator(image_size: 32, channels: 8);
        using var scope = NewDisposeScope();
        Assert.Equal([3L, 1L], d.call(rand(3, 3, 32, 32)).shape);
        var e = Assert.Throws<ArgumentException>(() => d.call(rand(1, 3, 64, 64)));
        Assert.Contains("32×32", e.Message);
    }

    /// <summary>The evaluator's bicubic baseline against PIL + scikit-image (tools/make_sr_fixtures.py).</summary>
    [Fact]
    public void Bicubic_baseline_matches_an_independent_computation()
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "tests", "fixtures", "sr");
        var expected = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(folder, "pattern_bicubic_x4.json")))!;
        var result = SuperResolutionEvaluation.Run(folder);
        Assert.Single(result.Scores);
        Assert.InRange(result.MeanPsnrY, expected["psnr_y"] - 0.05, expected["psnr_y"] + 0.05);
        Assert.InRange(result.MeanSsimY, expected["ssim_y"] - 1e-3, expected["ssim_y"] + 1e-3);
    }

    [Fact]
    public void Modcrop_and_resize()
    {
        using var scope = NewDisposeScope();
        var x = rand(1, 3, 10, 13);
        Assert.Equal([1L, 3L, 8L, 12L], Resize.modcrop(x, 4).shape);
        Assert.Equal([1L, 3L, 2L, 3L], Resize.bicubic(Resize.modcrop(x, 4), 0.25).shape);
    }
}
