using Lib.Data;
using Lib.Evaluation;
using Lib.Models;
using Lib.Plots;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>The recipe ablation's pieces: regression without D, the squared error, the weights' average, NoGAN's phases, the chroma gain, the research run.</summary>
public sealed class ColorizerRecipeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-recipe-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static ColorizerConfig Tiny => ColorizerConfig.Quick with
    {
        ImageSize = 32, Data = ColorizerConfig.Quick.Data with { LoadSize = 40 }, BatchSize = 4, GeneratorWidth = 8, DiscriminatorWidth = 8,
        Epochs = 1, SampleCount = 2, LogEvery = 1000, Device = TestSupport.Device.ToString(),
    };

    private static PreparedImages Photos() =>
        PreparedImages.Prepare(ImageFolder.List(Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos")).Take(2).ToList(),
            new PrepareOptions { LoadSize = 40, TilesPerSide = 2, Log = TextWriter.Null });

    private static (BatchLoader train, BatchLoader val) Loaders(PreparedImages data) =>
        (new BatchLoader(data, 4, 32, true, 1, TestSupport.LabPairs), new BatchLoader(data, 8, 32, false, 1, TestSupport.LabPairs));

    [Fact]
    public void Regression_without_a_discriminator_trains_G_alone_on_the_squared_error()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.None, Reconstruction = ReconstructionLoss.Mse, BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize };
        using var t = new ColorizerTrainer(config, _dir);
        Assert.Null(t.Discriminator);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.DoesNotContain("loss_D", steps.Columns);
        Assert.All(steps["loss_G_MSE"], v => Assert.True(double.IsFinite(v) && v > 0));
    }

    [Fact]
    public void The_rebalanced_L1_weighs_each_pixel_by_its_true_colors_rarity()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.None, Reconstruction = ReconstructionLoss.RebalancedL1, BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize };
        Assert.True(config.Rebalances);
        using var t = new ColorizerTrainer(config, _dir);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.All(steps["loss_G_rebalanced_L1"], v => Assert.True(double.IsFinite(v) && v > 0));
        var r = t.Rebalancing!;
        using var scope = NewDisposeScope();
        // Two pixels: gray (the commonest bin on photos) and a saturated red, whose bin the photos hardly have.
        var scale = (float)Imaging.Lab.AbScale;
        var ab = tensor(new float[] { 0, 60f / scale, 0, 40f / scale }, [1, 2, 1, 2]);
        var w = r.pixel_weights(ab).ToArray<float>();
        Assert.Equal(2, w.Length);
        var bins = r.gamut.nearest(ab).ToArray<long>();
        for (var k = 0; k < 2; k++)
            Assert.Equal(r.weights[(int)bins[k]], w[k], 4);
        Assert.True(w[1] > w[0], "the rare saturated color weighs more than gray");
    }

    [Fact]
    public void The_unet_classifier_learns_bins_and_colors_through_the_annealed_mean_at_its_temperature()
    {
        using var data = Photos();
        var config = Tiny with { Generator = ColorizerGenerator.ReportClassifier, Discriminator = ColorizerDiscriminator.None, BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize };
        Assert.False(config.Regresses);
        Assert.False(config.Adversarial);
        using var t = new ColorizerTrainer(config, _dir);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.All(steps["loss_CE"], v => Assert.True(double.IsFinite(v) && v > 0));
        using var scope = NewDisposeScope();
        var l = rand(2, 1, 32, 32).mul(2).sub(1);
        var g = (UnetClassifier)t.Generator;
        Assert.Equal([2L, Imaging.AbGamut.Srgb.count, 32L, 32L], g.call(l).shape);
        // A stage at a lower temperature is more saturated: the annealed mean moves towards the mode.
        using var mean = TrainedStage.Load(t.LastCheckpoint, "cpu", inference: c => (ColorizerConfig)c with { Temperature = 1 });
        using var sharp = TrainedStage.Load(t.LastCheckpoint, "cpu", inference: c => (ColorizerConfig)c with { Temperature = 0.1 });
        var ab1 = IColorizer.Ab(mean.Generator, l);
        var ab01 = IColorizer.Ab(sharp.Generator, l);
        Assert.Equal([2L, 2L, 32L, 32L], ab1.shape);
        Assert.True(ab01.abs().mean().item<float>() > ab1.abs().mean().item<float>());
    }

    [Fact]
    public void A_bfloat16_run_trains_validates_and_loads_in_mixed_precision_with_float32_weights()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.PatchGan, Precision = Precision.BFloat16 };
        using var t = new ColorizerTrainer(config, _dir);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var steps = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.All(steps["loss_G_L1"], v => Assert.True(double.IsFinite(v) && v > 0));
        Assert.All(t.Generator.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.True(t.Inference.MixedPrecision);
        using var stage = TrainedStage.Load(t.LastCheckpoint, "cpu");
        Assert.True(stage.MixedPrecision);
        using var scope = NewDisposeScope();
        var ab = stage.Generate(rand(1, 1, 32, 32).mul(2).sub(1));
        Assert.Equal(ScalarType.Float32, ab.dtype);
        Assert.False(is_autocast_enabled(DeviceType.CPU), "the scopes restore the thread's state");
    }

    [Fact]
    public void Spectral_norm_puts_every_convolution_of_D_under_its_power_iteration()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.PatchGan, SpectralNorm = true };
        using var t = new ColorizerTrainer(config, _dir);
        var convs = t.Discriminator!.modules().OfType<Torch.Modules.Conv2d>().ToList();
        Assert.NotEmpty(convs);
        Assert.All(convs, c => Assert.NotNull(c.spectral_norm));
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        // The checkpoint keeps u and v, so a resumed run continues the same power iteration.
        using var resumed = new ColorizerTrainer(config, _dir);
        Assert.True(resumed.TryResume(TextWriter.Null));
        using (no_grad())
            TestSupport.AssertClose(convs[0].spectral_norm!.u, resumed.Discriminator!.modules().OfType<Torch.Modules.Conv2d>().First().spectral_norm!.u, "u resumes", 0, 0);
        var e = Assert.Throws<ArgumentException>(() => (config with { Discriminator = ColorizerDiscriminator.None }).Validate());
        Assert.Contains("SpectralNorm", e.Message);
    }

    [Fact]
    public void The_average_starts_at_the_weights_follows_them_and_is_what_checkpoints_save_as_G()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.None, EmaDecay = 0.9, Epochs = 2 };
        using var t = new ColorizerTrainer(config, _dir);
        Assert.NotNull(t.AverageGenerator);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var live = t.Generator.parameters().First();
        var average = t.AverageGenerator!.parameters().First();
        using (no_grad())
        {
            Assert.True((live - average).abs().max().item<float>() > 0, "the average lags the trained weights");
            Assert.False(average.requires_grad);
        }
        // A stage loads the average; a resume gets both back.
        using var stage = TrainedStage.Load(t.LastCheckpoint, TestSupport.Device.ToString());
        using (no_grad())
            TestSupport.AssertClose(average, stage.Generator.parameters().First(), "the stage's G is the average", 0, 0);
        using var resumed = new ColorizerTrainer(config, _dir);
        Assert.True(resumed.TryResume(TextWriter.Null));
        using (no_grad())
        {
            TestSupport.AssertClose(live, resumed.Generator.parameters().First(), "the trained weights resume", 0, 0);
            TestSupport.AssertClose(average, resumed.AverageGenerator!.parameters().First(), "the average resumes", 0, 0);
        }
    }

    [Fact]
    public void NoGAN_trains_G_alone_then_D_alone_then_both()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.PatchGan, PretrainSteps = 2, CriticSteps = 2, Epochs = 3 };
        using var t = new ColorizerTrainer(config, _dir);
        var (train, val) = Loaders(data);
        t.Fit(train, val, TextWriter.Null);
        var s = LossHistory.Load(Path.Combine(_dir, "history_steps.csv"));
        Assert.True(s.Count > 5, $"{s.Count} steps");
        for (var i = 0; i < s.Count; i++)
        {
            var (d, gan, l1) = (s["loss_D"][i], s["loss_G_gan"][i], s["loss_G_L1"][i]);
            var phase = i < 2 ? "pretrain" : i < 4 ? "critic" : "gan";
            Assert.True(phase switch
            {
                "pretrain" => double.IsNaN(d) && double.IsNaN(gan) && double.IsFinite(l1),
                "critic" => double.IsFinite(d) && double.IsNaN(gan) && double.IsNaN(l1),
                _ => double.IsFinite(d) && double.IsFinite(gan) && double.IsFinite(l1),
            }, $"step {i + 1} ({phase}): D {d}, G gan {gan}, L1 {l1}");
        }
        Assert.Throws<ArgumentException>(() => (Tiny with { Discriminator = ColorizerDiscriminator.None, PretrainSteps = 5 }).Validate());
    }

    [Fact]
    public void The_chroma_gain_scales_the_predicted_ab_and_changes_only_inference()
    {
        using var data = Photos();
        var config = Tiny with { Discriminator = ColorizerDiscriminator.None };
        using (var t = new ColorizerTrainer(config, _dir))
        {
            var (train, val) = Loaders(data);
            t.Fit(train, val, TextWriter.Null);
        }
        var checkpoint = Path.Combine(_dir, "checkpoints", "last.safetensors");
        using var plain = TrainedStage.Load(checkpoint, TestSupport.Device.ToString());
        using var gained = TrainedStage.Load(checkpoint, TestSupport.Device.ToString(), inference: c => (ColorizerConfig)c with { ChromaGain = 1.5 });
        using var scope = NewDisposeScope();
        var l = rand(2, 1, 32, 32);
        TestSupport.AssertClose(plain.PredictAb(l) * 1.5, gained.PredictAb(l), "gain × ab", 1e-5, 1e-5);
        // Exported with a gain (the CLI's export --set ChromaGain=1.5), the model file carries it; a training setting cannot be set so.
        var exported = Path.Combine(_dir, "exported.safetensors");
        ShippedModels.Export(checkpoint, exported, c => c.WithSetting("ChromaGain", "1.5"));
        using (var model = TrainedStage.Load(exported, TestSupport.Device.ToString()))
            Assert.Equal(1.5, ((ColorizerConfig)model.Config).ChromaGain);
        Assert.Contains("no inference setting Lr", Assert.Throws<ArgumentException>(() => config.WithSetting("Lr", "1")).Message);
        Assert.Throws<ArgumentException>(() => config.WithSetting("ChromaGain", "9")); // outside [0, 4]
        // Resuming with another gain is allowed: it is not a training setting.
        using var resumed = new ColorizerTrainer(config with { ChromaGain = 1.5 }, _dir);
        Assert.True(resumed.TryResume(TextWriter.Null));
    }

    [Fact]
    public void A_research_run_trains_scores_sweeps_chooses_on_validation_and_reads_back()
    {
        var photos = Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");
        var recipe = ColorizerRace.Recipe(0.02);
        var data = new DataSettings { LoadSize = 40, TilesPerSide = 1, TrainImages = 100, ValImages = 2, TestImages = 2 };
        var race = recipe with
        {
            ImageSize = 32, Data = data, Repeated = ["mse-ema"],
            Entries = recipe.Entries.Where(e => e.Key is "mse-ema" or "eccv16-class").Select(e => e with
            {
                Config = e.Config with
                {
                    ImageSize = 32, Data = data, BatchSize = 4, GeneratorWidth = 8, Eccv16Width = 0.125, BudgetMarks = [0.01], Device = TestSupport.Device.ToString(),
                },
            }).ToList(),
        };
        var results = Path.Combine(_dir, "results");
        var research = ColorizerResearch.Run(race, [photos], Path.Combine(_dir, "runs"), results, log: TextWriter.Null);
        var reread = ColorizerResearch.Load(results);
        Assert.Equal(research.ChosenSetting, reread.ChosenSetting);
        Assert.Equal(research.Ablation.Rows.Count, reread.Ablation.Rows.Count);
        foreach (var e in race.Entries)
        {
            Assert.Equal(2, reread.Ablation.Rows.Count(r => r.Method.StartsWith(e.Name + " (", StringComparison.Ordinal)));
            var settings = e.Config.Regresses ? ColorizerResearch.Gains : ColorizerResearch.Temperatures;
            Assert.Contains(research.ChosenSetting[e.Key], settings.Append(AnnealedMean.Temperature));
            foreach (var s in settings) _ = reread.Sweep[research.ValidationSet, ColorizerResearch.SweepRow(e, s)];
        }
        // The chosen gain passes its own rule on the validation photos, or is 1 when no gain does.
        var mse = race.Entries[0];
        var g = research.ChosenSetting[mse.Key];
        Assert.True(g == 1 || reread.Sweep.Compare(research.ValidationSet, ColorizerResearch.SweepRow(mse, g), ColorizerResearch.GrayMethod, Score.Psnr).Low > 0);
        // The repeated entry ran again with the second seed, under the same names, so the seeds can be compared row by row.
        _ = reread.SecondSeed[research.TestSet, mse.Name + " (best)"];
        _ = reread.SecondSeed[research.TestSet, ColorizerResearch.SweepRow(mse, g)];
        Assert.True(Directory.Exists(Path.Combine(_dir, "runs", $"mse-ema-seed{race.SecondSeed}")));
        Assert.True(File.Exists(Path.Combine(results, "budget_psnr.svg")));
        Assert.True(File.Exists(Path.Combine(results, "samples.png")));
    }
}
