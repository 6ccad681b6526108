using System.Text.Json;
using Lib.Plots;
using Lib.Data;
using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
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
    public void Untrained_SRResNet_with_the_bicubic_skip_is_the_bicubic_baseline()
    {
        manual_seed(0);
        using var g = new SRResNet(scale: 4, num_blocks: 2, channels: 8, sigmoid_output: false, bicubic_skip: true);
        g.eval();
        using var scope = NewDisposeScope();
        var lr = rand(2, 3, 12, 16);
        using (no_grad()) Assert.Equal(0f, (g.call(lr) - Resize.bicubic(lr, 48, 64)).abs().max().item<float>());
        var e = Assert.Throws<ArgumentException>(() => new SRResNet(sigmoid_output: true, bicubic_skip: true));
        Assert.Contains("SigmoidOutput", e.Message);
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
        using var set = EvaluationSet.FromFolder(folder, scale: 4);
        var result = Evaluator.Run(Stage.Bicubic(4, ImageKind.Color), set, MetricSet.SuperResolution);
        Assert.Equal(1, result.Images);
        Assert.InRange(result[Score.PsnrY], expected["psnr_y"] - 0.05, expected["psnr_y"] + 0.05);
        Assert.InRange(result[Score.SsimY], expected["ssim_y"] - 1e-3, expected["ssim_y"] + 1e-3);
    }

    [Fact]
    public void Evaluation_rows_group_by_set_and_an_empty_folder_is_named()
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "tests", "fixtures", "sr");
        using var pattern = EvaluationSet.FromFolder(folder, 4, "pattern");
        using var again = EvaluationSet.FromFolder(folder, 4, "again");
        var nearest = new Method("nearest", ImageKind.Color, ImageKind.Color, lr => nn.functional.interpolate(lr, (lr.size(2) * 4, lr.size(3) * 4)));
        var table = new ScoreTable();
        foreach (var set in new[] { pattern, again }) table.Add(Evaluator.Run(Stage.Bicubic(4, ImageKind.Color), set, MetricSet.SuperResolution));
        foreach (var set in new[] { pattern, again }) table.Add(Evaluator.Run(nearest, set, MetricSet.SuperResolution));
        var rows = table.Grouped();
        Assert.Equal(["pattern/bicubic ×4", "pattern/nearest", "again/bicubic ×4", "again/nearest"], rows.Select(r => $"{r.Set}/{r.Method}"));
        Assert.True(rows[0][Score.PsnrY] > rows[1][Score.PsnrY], "bicubic should beat nearest-neighbour upscaling");
        Assert.Contains("| pattern | bicubic ×4 | 1 |", table.ToMarkdown());
        using (var sr = EvaluationSet.FromFolder(folder, 4)) Assert.Equal("sr", sr.Name);
        using (var crops = pattern.CenterCrops(16)) Assert.Equal([1L, 3L, 16L, 16L], crops.shape);
        Assert.Contains("smaller than the 100000-pixel crop", Assert.Throws<InvalidDataException>(() => pattern.CenterCrops(100_000)).Message);
        var empty = Directory.CreateTempSubdirectory("lib-sr-empty-").FullName;
        try { Assert.Contains(empty, Assert.Throws<InvalidDataException>(() => EvaluationSet.FromFolder(empty, 4)).Message); }
        finally { Directory.Delete(empty); }
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

/// <summary>SR training on real photos (the demo set, fetched by tools/test.sh).</summary>
public sealed class SuperResolutionTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-sr-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static UpscalerConfig Tiny => UpscalerConfig.Quick with
    {
        HrSize = 32, Data = UpscalerConfig.Quick.Data with { LoadSize = 40 }, Blocks = 1, Channels = 8, DiscriminatorChannels = 8, BatchSize = 8,
        Epochs = 1, SampleCount = 2, LogEvery = 1000, VggWeights = "", Device = TestSupport.Device.ToString(),
    };

    private static Lib.Data.PreparedImages Photos(int count, int loadSize)
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");
        Assert.True(Directory.Exists(folder), $"{folder} is missing: run tools/fetch_demo_data.sh (tools/test.sh does)");
        return Lib.Data.PreparedImages.Prepare(Lib.Data.ImageFolder.List(folder).Take(count).ToList(),
            new Lib.Data.PrepareOptions { LoadSize = loadSize, TilesPerSide = 3, Log = TextWriter.Null });
    }

    private static (double before, double after, double bicubic) Pretrain(UpscalerConfig config, string dir, int photos, int steps)
    {
        using var data = Photos(photos, config.Data.LoadSize);
        using var trainer = new UpscalerTrainer(config, dir);
        var train = new Lib.Data.BatchLoader(data, 8, config.HrSize, train: true, seed: 1, transform: trainer.Task.Pairs(trainer.Config));
        var val = new Lib.Data.BatchLoader(data, 32, config.HrSize, train: false, seed: 1, transform: trainer.Task.Pairs(trainer.Config));
        var before = trainer.Validate(val)["val_MSE"];
        var done = 0;
        for (var epoch = 0; done < steps; epoch++)
            foreach (var b in train.Epoch(epoch))
                using (b)
                    if (done++ < steps) trainer.TrainStep(b[0], b[1]);
        return (before, trainer.Validate(val)["val_MSE"], trainer.ValidateBicubic(val)["val_MSE"]);
    }

    [Fact]
    public void Short_mse_pretraining_of_the_reports_srresnet_lowers_validation_mse()
    {
        var (before, after, _) = Pretrain(Tiny with { Lr = 2e-3, SigmoidOutput = true, BicubicSkip = false }, _dir, 2, 40);
        Assert.True(after < before * 0.7, $"validation MSE went from {before:0.00000} to {after:0.00000}");
    }

    [Fact]
    public void Short_mse_pretraining_with_the_bicubic_skip_starts_at_bicubic_and_ends_below_it()
    {
        var (before, after, bicubic) = Pretrain(Tiny with { Lr = 5e-4, Channels = 16 }, _dir, 3, 160);
        Assert.Equal(bicubic, before, 1e-6);
        Assert.True(after < bicubic * 0.97, $"validation MSE {after:0.00000} after pretraining, bicubic {bicubic:0.00000}");
    }

    /// <summary>The GAN run refines the pretrained generator it starts from; a content loss on the wrong scale wrecks it at once.</summary>
    [Fact]
    public void Gan_run_with_the_fallback_content_loss_keeps_the_pretrained_quality()
    {
        using var train = Photos(3, 40);
        using var val = Photos(1, 32);
        // Wide enough and a high enough rate that the residual branch is active after pretraining, as in the
        // quick profile: there a feature-matching weight of 1 or 1e-2 multiplied the validation MSE by 100.
        var config = Tiny with { Epochs = 8, Lr = 2e-3, Channels = 16, DiscriminatorChannels = 16 };
        Lib.Data.BatchLoader Loader(Lib.Data.PreparedImages d, bool t, UpscalerTrainer tr) => new(d, 8, 32, t, 5, tr.Task.Pairs(tr.Config));
        double pretrained;
        var srresnet = Path.Combine(_dir, "srresnet");
        using (var t = new UpscalerTrainer(config, srresnet))
        {
            t.Fit(Loader(train, true, t), Loader(val, false, t), TextWriter.Null);
            pretrained = t.Epochs["val_MSE"][^1];
            Assert.True(t.BicubicValidation is { } b && b["val_PSNR_Y"] > 20, "the bicubic validation baseline was not computed");
            Assert.Null(t.Discriminator);
        }
        using (var g = new UpscalerTrainer(config.ForGanPhase(Path.Combine(srresnet, "checkpoints", "last.safetensors"), 2), Path.Combine(_dir, "srgan")))
        {
            // The GAN run starts from SRResNet's weights: its first validation is SRResNet's.
            Assert.Equal(pretrained, g.Validate(Loader(val, false, g))["val_MSE"], 1e-9);
            g.Fit(Loader(train, true, g), Loader(val, false, g), TextWriter.Null);
            var afterGan = g.Epochs["val_MSE"][^1];
            Assert.True(afterGan < pretrained * 1.5, $"validation MSE went from {pretrained:0.00000} after pretraining to {afterGan:0.00000} after the GAN run");
        }
        // Every fifth epoch (the quick profile's SampleEvery) and the end of each run.
        Assert.Equal(["epoch_005.png", "epoch_008.png"], Directory.GetFiles(Path.Combine(srresnet, "samples")).Select(Path.GetFileName).Order());
        Assert.Equal(["epoch_002.png"], Directory.GetFiles(Path.Combine(_dir, "srgan", "samples")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Resume_refuses_a_checkpoint_written_with_other_settings_and_names_them()
    {
        using var data = Photos(1, 40);
        var config = Tiny;
        using (var first = new UpscalerTrainer(config, _dir))
            first.Fit(new Lib.Data.BatchLoader(data, 8, 32, true, 1, first.Task.Pairs(first.Config)), new Lib.Data.BatchLoader(data, 8, 32, false, 1, first.Task.Pairs(first.Config)), TextWriter.Null);
        using (var longer = new UpscalerTrainer(config with { Epochs = 3, LogEvery = 1, MaxMinutes = 5 }, _dir))
            Assert.True(longer.TryResume(TextWriter.Null));
        using var other = new UpscalerTrainer(config with { BicubicSkip = false, SigmoidOutput = true }, _dir);
        var e = Assert.Throws<InvalidOperationException>(() => other.TryResume(TextWriter.Null));
        Assert.Contains("SigmoidOutput false → true", e.Message);
        Assert.Contains("BicubicSkip true → false", e.Message);
        Assert.Contains(Path.Combine(_dir, "checkpoints"), e.Message);
    }

    [Fact]
    public void Resuming_the_gan_run_repeats_it_exactly_and_the_fallback_is_named()
    {
        using var train = Photos(2, 40);
        using var val = Photos(1, 32);
        var srresnet = Path.Combine(_dir, "srresnet");
        using (var t = new UpscalerTrainer(Tiny, srresnet))
            t.Fit(new Lib.Data.BatchLoader(train, 8, 32, true, 3, t.Task.Pairs(t.Config)), new Lib.Data.BatchLoader(val, 8, 32, false, 3, t.Task.Pairs(t.Config)), TextWriter.Null);
        var gan = Tiny.ForGanPhase(Path.Combine(srresnet, "checkpoints", "last.safetensors"), 2);
        var log = new StringWriter();
        string Run(string name, UpscalerConfig config, bool resume, TextWriter w)
        {
            var dir = Path.Combine(_dir, name);
            using var t = new UpscalerTrainer(config, dir);
            if (resume) Assert.True(t.TryResume(TextWriter.Null));
            t.Fit(new Lib.Data.BatchLoader(train, 8, 32, true, 3, t.Task.Pairs(t.Config)), new Lib.Data.BatchLoader(val, 8, 32, false, 3, t.Task.Pairs(t.Config)), w);
            return dir;
        }
        var straight = Run("straight", gan, false, log);
        Assert.Contains("LIB_VGG19_WEIGHTS", log.ToString());
        Run("resumed", gan with { Epochs = 1 }, false, TextWriter.Null);
        manual_seed(12345);
        var resumed = Run("resumed", gan, true, TextWriter.Null);
        var a = Lib.Plots.LossHistory.Load(Path.Combine(straight, "history_steps.csv"));
        var b = Lib.Plots.LossHistory.Load(Path.Combine(resumed, "history_steps.csv"));
        Assert.Equal(a.Count, b.Count);
        foreach (var column in new[] { "loss_D", "content", "adversarial" })
            Assert.Equal(a[column], b[column]);
        Assert.True(File.Exists(Path.Combine(resumed, "samples", "epoch_002.png")));
    }
}

public class LearningRatePolicyTests
{
    [Fact]
    public void Step_and_linear_policies_follow_the_library_schedulers()
    {
        var config = UpscalerConfig.Quick with { Device = "cpu", Blocks = 1, Channels = 8, Epochs = 7, Lr = 1e-3, LrPolicy = LrPolicy.Step, LrStepEpochs = 2, LrGamma = 0.5 };
        var dir = Path.Combine(Path.GetTempPath(), "lib-lr-policy");
        using (var step = new UpscalerTrainer(config, dir))
            Assert.Equal([1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 1.25e-4], Enumerable.Range(0, 7).Select(step.LearningRate));
        using (var constant = new UpscalerTrainer(config with { LrPolicy = LrPolicy.Constant }, dir))
            Assert.All(Enumerable.Range(0, 7).Select(constant.LearningRate), lr => Assert.Equal(1e-3, lr));
        // pix2pix: constant for Epochs − LrDecayEpochs, then 1 − (epoch + 1 − n) / (decay + 1).
        using var linear = new UpscalerTrainer(config with { LrPolicy = LrPolicy.Linear, Epochs = 6, LrDecayEpochs = 3 }, dir);
        var expected = new[] { 1.0, 1, 1, 0.75, 0.5, 0.25 }.Select(f => f * 1e-3).ToArray();
        var actual = Enumerable.Range(0, 6).Select(linear.LearningRate).ToArray();
        for (var i = 0; i < 6; i++) Assert.Equal(expected[i], actual[i], 1e-15);
    }
}

/// <summary>SRResNet's forward pass against PyTorch (tools/make_sr_model_fixtures.py).</summary>
public class SRResNetParityTests
{
    [Fact]
    public void Forward_matches_pytorch_in_eval_and_train_mode_and_with_the_bicubic_skip()
    {
        var fx = Safetensors.load(TestSupport.Fixture("srresnet.safetensors"));
        try
        {
            using var g = new SRResNet(scale: 4, num_blocks: 2, channels: 8);
            g.load_state_dict(fx.Where(kv => kv.Key.StartsWith("weights.")).ToDictionary(kv => kv.Key["weights.".Length..], kv => kv.Value));
            using var scope = NewDisposeScope();
            g.eval();
            using (no_grad()) TestSupport.AssertClose(fx["eval.output"], g.call(fx["x"]), "SRResNet eval");
            g.train();
            TestSupport.AssertClose(fx["train.output"], g.call(fx["x"]), "SRResNet train");
            using var skip = new SRResNet(scale: 4, num_blocks: 2, channels: 8, sigmoid_output: false, bicubic_skip: true);
            skip.load_state_dict(fx.Where(kv => kv.Key.StartsWith("weights.")).ToDictionary(kv => kv.Key["weights.".Length..], kv => kv.Value));
            skip.eval();
            using (no_grad()) TestSupport.AssertClose(fx["skip.eval.output"], skip.call(fx["x"]), "SRResNet with the bicubic skip");
        }
        finally { foreach (var t in fx.Values) t.Dispose(); }
    }
}
