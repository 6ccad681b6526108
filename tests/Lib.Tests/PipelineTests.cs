using Lib.Evaluation;
using Lib.Imaging;
using Lib.Models;
using Lib.Pipelines;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>Stages compose, accept any size and batch, and refuse what they cannot take with a message that says why.</summary>
public sealed class PipelineTests() : UntrainedStages(seed: 1)
{
    private Stage ColorizerLow => Untrained(new ColorizerConfig { Generator = ColorizerGenerator.Pix2Pix, ImageSize = 32, GeneratorWidth = 4 }, "colorizer 32");
    private Stage ColorizerReport => Untrained(new ColorizerConfig { GeneratorWidth = 4 }, "report colorizer");
    private Stage UpscalerColor => Untrained(new UpscalerConfig { Blocks = 1, Channels = 4, SigmoidOutput = false, BicubicSkip = true }, "color upscaler");
    private Stage UpscalerGray => Untrained(new UpscalerConfig { Blocks = 1, Channels = 4, ImageChannels = 1 }, "gray upscaler");
    private Stage Joint => Untrained(new JointConfig { ImageSize = 32, GeneratorWidth = 4, UpsampleChannels = 4 }, "joint");

    [Theory]
    [InlineData(1, 32, 32)]
    [InlineData(3, 37, 45)]
    [InlineData(5, 17, 64)]
    public void Every_ordering_turns_gray_into_color_four_times_larger_for_any_batch_and_size(int n, int h, int w)
    {
        using var scope = NewDisposeScope();
        var gray = rand(n, 1, h, w);
        foreach (var pipeline in new[] { ColorizerLow.Then(UpscalerColor), UpscalerGray.Then(ColorizerReport), Joint, Stage.Bicubic(4, ImageKind.Gray).Then(Stage.Uncolored) })
        {
            Assert.Equal((ImageKind.Gray, ImageKind.Color, 4), (pipeline.Input, pipeline.Output, pipeline.Scale));
            var color = pipeline.call(gray);
            Assert.Equal([n, 3L, 4L * h, 4L * w], color.shape);
            Assert.True(color.min().item<float>() >= 0 && color.max().item<float>() <= 1, $"{pipeline}: output outside [0, 1]");
        }
    }

    [Fact]
    public void A_colorizer_keeps_the_input_lightness_and_an_untrained_joint_model_is_the_bicubic_gray_baseline()
    {
        using var scope = NewDisposeScope();
        var gray = rand(2, 1, 32, 32);
        var l = Lab.lightness(ColorizerLow.call(gray));
        Assert.True((l - gray).abs().max().item<float>() < 0.02, "the colorizer changed L beyond the gamut clipping");
        var joint = Joint.call(gray);
        var baseline = Stage.Bicubic(4, ImageKind.Gray).Then(Stage.Uncolored).call(gray);
        Assert.True((joint - baseline).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Stages_that_do_not_fit_together_or_a_wrong_input_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => UpscalerColor.Then(ColorizerLow));
        Assert.Contains("color upscaler gives color images but colorizer 32 takes gray ones", e.Message);
        using var scope = NewDisposeScope();
        var e2 = Assert.Throws<ArgumentException>(() => ColorizerLow.call(rand(1, 3, 32, 32)));
        Assert.Contains("takes gray images N×1×H×W", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => UpscalerColor.call(rand(3, 32, 32)));
        Assert.Contains("unsqueeze(0)", e3.Message);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-run", "best.safetensors");
        var e4 = Assert.Throws<FileNotFoundException>(() => TrainedStage.Load(missing, "cpu"));
        Assert.Contains("train one first", e4.Message);
    }
}

/// <summary>The one evaluation: any method, either task's scores, one table.</summary>
public sealed class EvaluatorTests
{
    private static EvaluationSet Photos(int scale) =>
        EvaluationSet.FromImages("photos", Resize.bicubic(rand(4, 3, 8, 8), 32, 32).clamp(0, 1).mul(255).round().to(ScalarType.Byte), scale);

    [Fact]
    public void A_perfect_method_scores_perfectly_and_the_gray_baseline_has_no_color()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var set = Photos(1);
        var identity = new Method("identity", ImageKind.Color, ImageKind.Color, x => x.mul(255).round().div(255));
        var perfect = Evaluator.Run(identity, set);
        Assert.Equal(100, perfect[Score.Psnr]);
        Assert.Equal(1, perfect[Score.Ssim], 6);
        Assert.Equal(1, perfect[Score.AbAuc], 6);
        Assert.Equal(0, perfect[Score.ColorfulnessGap], 6);
        var gray = Evaluator.Run(Stage.Uncolored, set, MetricSet.Colorization);
        var truth = Evaluator.Truth(set);
        Assert.True(gray[Score.Colorfulness] < 0.5, $"gray colorfulness {gray[Score.Colorfulness]}");
        Assert.Equal(truth[Score.Colorfulness] - gray[Score.Colorfulness], gray[Score.ColorfulnessGap], 6);
        Assert.False(gray.Values.ContainsKey(Score.PsnrY));
        var table = new ScoreTable().Add(truth, gray, perfect);
        Assert.Equal([Score.Psnr, Score.Ssim, Score.PsnrY, Score.SsimY, Score.AbAuc, Score.AbAcc10, Score.Colorfulness, Score.ColorfulnessGap, Score.MsPerImage], table.Columns);
        Assert.Contains("| photos | identity | 4 | ∞ |", table.ToMarkdown());
        Assert.Contains("| photos | ground truth | 4 | — |", table.ToMarkdown());
    }

    [Fact]
    public void At_scale_four_the_true_colors_upscaled_beat_the_gray_baseline_and_a_wrong_output_size_is_named()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var set = Photos(4);
        var ceiling = Evaluator.Run(Stage.Bicubic(4, ImageKind.Color), set);
        var gray = Evaluator.Run(Stage.Bicubic(4, ImageKind.Gray).Then(Stage.Uncolored), set);
        Assert.True(ceiling[Score.Psnr] > gray[Score.Psnr] && ceiling[Score.AbAuc] > gray[Score.AbAuc]);
        var wrong = new Method("×2", ImageKind.Color, ImageKind.Color, x => Resize.bicubic(x, x.size(2) * 2, x.size(3) * 2));
        var e = Assert.Throws<ArgumentException>(() => Evaluator.Run(wrong, set));
        Assert.Contains("output [4, 3, 16, 16] but the truth needs [4, 3, 32, 32]", e.Message);
    }
}
