using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// Photos of any size: tiled upscaling equals the whole-image output where the overlap covers the network's
/// receptive field, and colorizing at a small render size keeps the photo's own full-resolution lightness.
/// </summary>
public sealed class LargePhotoTests() : UntrainedStages(seed: 3)
{
    // SRResNet's 9×9 convolutions, one residual block and the ×2 steps reach about 9 input pixels from a pixel,
    // bicubic's skip 2: an overlap of 48 (a quarter is 12) covers that.
    private Stage Upscaler => Untrained(new UpscalerConfig { Blocks = 1, Channels = 4, SigmoidOutput = false, BicubicSkip = true }, "upscaler");

    private Stage Colorizer => Untrained(new ColorizerConfig { Generator = ColorizerGenerator.Pix2Pix, ImageSize = 32, GeneratorWidth = 4 }, "colorizer");

    [Theory]
    [InlineData(97, 150)]  // neither side a multiple of the tile or of the stride
    [InlineData(64, 200)]  // one row of tiles
    [InlineData(130, 130)]
    public void Tiled_upscaling_equals_the_whole_image_output_when_the_overlap_covers_the_receptive_field(int h, int w)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var photo = rand(1, 3, h, w);
        var upscaler = Upscaler;
        var whole = upscaler.call(photo);
        var tiled = new TiledStage(upscaler, 64, 48).call(photo);
        Assert.Equal(whole.shape, tiled.shape);
        var diff = (whole - tiled).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"{h}×{w}: tiled output differs from the whole image by {diff}");
    }

    [Fact]
    public void Without_enough_overlap_the_tiles_differ_so_the_comparison_above_can_fail()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var photo = rand(1, 3, 97, 150);
        var upscaler = Upscaler;
        var diff = (upscaler.call(photo) - new TiledStage(upscaler, 64, 4).call(photo)).abs().max().item<float>();
        Assert.True(diff > 1e-3, $"a 4-pixel overlap should not reproduce the whole image (max difference {diff})");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 33)]
    [InlineData(70, 45)]  // larger than the 32-pixel tile, not a multiple of it
    public void Odd_sizes_upscale_in_tiles_and_colorize_at_full_resolution(int h, int w)
    {
        using var scope = NewDisposeScope();
        var color = new TiledStage(Upscaler, 32, 8).call(rand(1, 3, h, w));
        Assert.Equal([1L, 3, 4L * h, 4L * w], color.shape);
        var colorized = new FullResolutionColorizer(Colorizer, 32).call(rand(1, 1, h, w));
        Assert.Equal([1L, 3, h, w], colorized.shape);
        Assert.True(colorized.min().item<float>() >= 0 && colorized.max().item<float>() <= 1);
    }

    [Fact]
    public void A_large_synthetic_photo_colorizes_at_full_resolution_and_upscales_in_tiles()
    {
        using var scope = NewDisposeScope();
        // 12 megapixels to colorize (gray, 8-bit as decoded), 0.08 to upscale ×4 (bench/ times the full sizes).
        var photo = (rand(1, 3000, 4000) * 255).to(ScalarType.Byte);
        var input = PhotoTensors.to_stage_input(photo, ImageKind.Gray);
        var colorized = new FullResolutionColorizer(Colorizer, 64).call(input);
        Assert.Equal([1L, 3, 3000, 4000], colorized.shape);
        var image = PhotoTensors.to_image(colorized, ImageKind.Color);
        Assert.Equal([3L, 3000, 4000], image.shape);
        var upscaled = new TiledStage(Upscaler, 128, 16).call(rand(1, 3, 240, 320));
        Assert.Equal([1L, 3, 960, 1280], upscaled.shape);
    }

    /// <summary>A stand-in colorizer with a known, in-gamut tint, so the test measures the recombination alone.</summary>
    private sealed class TintStage : Stage
    {
        public override string Name => "tint";
        public override ImageKind Input => ImageKind.Gray;
        public override ImageKind Output => ImageKind.Color;
        public override int Scale => 1;

        protected override Tensor Forward(Tensor l)
        {
            var (h, w) = (l.size(2), l.size(3));
            var a = (linspace(0, 6, w).sin() * 12).view(1, 1, 1, w).expand(l.size(0), 1, h, w);
            var b = (linspace(0, 4, h).cos() * 10).view(1, 1, h, 1).expand(l.size(0), 1, h, w);
            return Lab.lab_to_rgb(cat([l * 100, a, b], 1));
        }
    }

    [Fact]
    public void The_recombined_photo_keeps_its_own_lightness_within_one_8_bit_step()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        // Mid-tones, where the tint stays inside the sRGB gamut (clipping would change L, as it must).
        var photo = (rand(1, 123, 157) * 160 + 48).round().to(ScalarType.Byte);
        var input = PhotoTensors.to_stage_input(photo, ImageKind.Gray);
        var output = new FullResolutionColorizer(new TintStage(), 16).call(input);
        var saved = PhotoTensors.to_image(output, ImageKind.Color).to(ScalarType.Float32) / 255;
        var lOut = Lab.lightness(saved.unsqueeze(0));
        // One quantization step: the largest lightness gap between neighbouring 8-bit gray levels in that range.
        var levels = (arange(47, 210, dtype: ScalarType.Float32) / 255).view(1, 1, 1, -1).expand(1, 3, 1, 163);
        var lLevels = Lab.lightness(levels.contiguous()).flatten();
        var step = (lLevels.narrow(0, 1, 162) - lLevels.narrow(0, 0, 162)).max().item<float>();
        var worst = (lOut - input).abs().max().item<float>();
        Assert.True(worst <= step, $"L moved by {worst * 100:0.000} (L units); one 8-bit step is {step * 100:0.000}");
        Assert.True((saved.narrow(0, 1, 1) - saved.narrow(0, 0, 1)).abs().max().item<float>() > 0.05, "the tint did not reach the output");
    }
}
