using Lib.Plots;
using Lib.Data;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>The colorizers' checkpoint selection does not reward gray; the literature's losses say what they fall back to.</summary>
public sealed class ColorizerSelectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-selection-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static ColorizerConfig Tiny => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8, Generator = ColorizerGenerator.Pix2Pix,
        Discriminator = ColorizerDiscriminator.PatchGan, Epochs = 1, SampleCount = 2, LogEvery = 1000, Device = TestSupport.Device.ToString(),
    };

    private static PreparedImages Photos() =>
        PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(2).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = TextWriter.Null });

    [Fact]
    public void A_gray_colorizer_pays_for_its_missing_colorfulness_and_loses_to_a_colorful_one_with_a_slightly_higher_L1()
    {
        using var data = Photos();
        using var t = new ColorizerTrainer(Tiny, _dir);
        using (no_grad())
            foreach (var p in t.Generator.parameters()) p.zero_(); // tanh(0): ab = 0 everywhere, a gray photo
        var scores = t.Validate(new BatchLoader(data, 8, 32, train: false, seed: 1, transform: TestSupport.LabPairs));
        Assert.True(scores["val_colorfulness_ratio"] < 0.02, $"gray predictions, colorfulness ratio {scores["val_colorfulness_ratio"]}");
        Assert.Equal(scores["val_L1"] + (1 - scores["val_colorfulness_ratio"]) - 0.2, scores["val_L1_colorful"], 1e-9);
        Assert.Equal("val_L1_colorful", Tiny.BestMetric);

        // The issue's two checkpoints: "best" by L1 at 32 % of the truth's colorfulness, "last" at 76 % with more L1.
        Assert.True(ColorizerTrainer.SelectionScore(0.110, 0.76, 0.2) < ColorizerTrainer.SelectionScore(0.100, 0.32, 0.2));
        // Within the tolerance L1 alone decides.
        Assert.Equal(0.1, ColorizerTrainer.SelectionScore(0.1, 0.85, 0.2));
        Assert.True(ColorizerTrainer.SelectionScore(0.10, 0.9, 0.2) < ColorizerTrainer.SelectionScore(0.11, 1.0, 0.2));
    }

    [Fact]
    public void Without_vgg19_weights_the_perceptual_mix_says_what_runs_instead()
    {
        using var data = Photos();
        using var t = new ColorizerTrainer(Tiny with { PerceptualGamma = 0.5, VggWeights = "" }, _dir);
        Assert.Contains("LIB_VGG19_WEIGHTS", t.ContentFallbackReason);
        var log = new StringWriter();
        t.Fit(new BatchLoader(data, 4, 32, true, 1, TestSupport.LabPairs), new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs), log);
        Assert.Contains("content loss: 100 × L1 on ab instead of VGG19", log.ToString());
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        // The fallback content term is 100 × the L1 it replaces.
        for (var i = 0; i < steps.Count; i++) Assert.Equal(100 * steps["loss_G_L1"][i], steps["content"][i], 1e-3);
    }

    [Fact]
    public void Eccv16_classification_trains_without_a_discriminator_on_class_weights_counted_from_the_training_set()
    {
        using var data = Photos();
        using var t = new ColorizerTrainer(Tiny with { Generator = ColorizerGenerator.Eccv16, Eccv16Width = 1.0 / 16 }, _dir);
        Assert.Null(t.Discriminator);
        var log = new StringWriter();
        t.Fit(new BatchLoader(data, 4, 32, true, 1, TestSupport.LabPairs), new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs), log);
        Assert.Contains("class rebalancing (λ = 0.5)", log.ToString());
        Assert.NotNull(t.Rebalancing);
        Assert.True(t.Rebalancing!.counts.Sum() >= 4 * 32 * 32, "every training pixel is counted");
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.All(steps["loss_CE"], v => Assert.True(double.IsFinite(v) && v > 0));
        using var scope = NewDisposeScope();
        var ab = t.Predict(rand(2, 1, 32, 32) * 2 - 1);
        Assert.Equal([2L, 2, 32, 32], ab.shape);
    }
}
