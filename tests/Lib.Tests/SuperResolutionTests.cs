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
        var result = SuperResolutionEvaluation.Run(folder);
        Assert.Single(result.Scores);
        Assert.InRange(result.MeanPsnrY, expected["psnr_y"] - 0.05, expected["psnr_y"] + 0.05);
        Assert.InRange(result.MeanSsimY, expected["ssim_y"] - 1e-3, expected["ssim_y"] + 1e-3);
    }

    [Fact]
    public void Evaluation_rows_group_by_set_and_an_empty_folder_is_named()
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "tests", "fixtures", "sr");
        var sets = new Dictionary<string, string> { ["pattern"] = folder, ["again"] = folder };
        var bicubic = SuperResolutionEvaluation.Run(sets);
        var identity = SuperResolutionEvaluation.Run(sets, "nearest", lr => nn.functional.interpolate(lr, (lr.size(2) * 4, lr.size(3) * 4)));
        var rows = SuperResolutionEvaluation.BySet(bicubic.Concat(identity));
        Assert.Equal(["pattern/bicubic", "pattern/nearest", "again/bicubic", "again/nearest"], rows.Select(r => $"{r.Set}/{r.Method}"));
        Assert.True(rows[0].MeanPsnrY > rows[1].MeanPsnrY, "bicubic should beat nearest-neighbour upscaling");
        Assert.Equal("sr", SuperResolutionEvaluation.Run(folder).Set);
        using (var crops = SuperResolutionEvaluation.CenterCrops(folder, 16)) Assert.Equal([1L, 3L, 16L, 16L], crops.shape);
        Assert.Contains("smaller than the 100000-pixel crop", Assert.Throws<InvalidDataException>(() => SuperResolutionEvaluation.CenterCrops(folder, 100_000)).Message);
        var empty = Directory.CreateTempSubdirectory("lib-sr-empty-").FullName;
        try { Assert.Contains(empty, Assert.Throws<InvalidDataException>(() => SuperResolutionEvaluation.Run(empty)).Message); }
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

    private static SuperResolutionConfig Tiny => SuperResolutionConfig.Quick with
    {
        HrSize = 32, LoadSize = 40, Blocks = 1, Channels = 8, DiscriminatorChannels = 8, BatchSize = 8,
        PretrainEpochs = 1, GanEpochs = 1, SampleCount = 2, LogEvery = 1000, VggWeights = "",
        Device = TestSupport.Device.ToString(),
    };

    private static Lib.Data.PreparedImages Photos(int count, int loadSize)
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "data", "demo", "photos");
        Assert.True(Directory.Exists(folder), $"{folder} is missing: run tools/fetch_demo_data.sh (tools/test.sh does)");
        return Lib.Data.PreparedImages.Prepare(Lib.Data.ImageFolder.List(folder).Take(count).ToList(),
            new Lib.Data.PrepareOptions { LoadSize = loadSize, TilesPerSide = 3, Log = TextWriter.Null });
    }

    private static (double before, double after, double bicubic) Pretrain(SuperResolutionConfig config, string dir, int photos, int steps)
    {
        using var data = Photos(photos, config.LoadSize);
        using var trainer = new SuperResolutionTrainer(config, dir);
        var train = new Lib.Data.BatchLoader(data, 8, config.HrSize, train: true, seed: 1, transform: trainer.MakePairs);
        var val = new Lib.Data.BatchLoader(data, 32, config.HrSize, train: false, seed: 1, transform: trainer.MakePairs);
        var before = trainer.Validate(val).mse;
        var done = 0;
        for (var epoch = 0; done < steps; epoch++)
            foreach (var b in train.Epoch(epoch))
                using (b)
                    if (done++ < steps) trainer.PretrainStep(b[0], b[1]);
        return (before, trainer.Validate(val).mse, trainer.ValidateBicubic(val).mse);
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

    /// <summary>The GAN phase refines the pretrained generator; a content loss on the wrong scale wrecks it at once.</summary>
    [Fact]
    public void Gan_phase_with_the_fallback_content_loss_keeps_the_pretrained_quality()
    {
        using var train = Photos(3, 40);
        using var val = Photos(1, 32);
        // Wide enough and a high enough rate that the residual branch is active after pretraining, as in the
        // quick profile: there a feature-matching weight of 1 or 1e-2 multiplied the validation MSE by 100.
        var config = Tiny with { PretrainEpochs = 8, GanEpochs = 2, Lr = 2e-3, Channels = 16, DiscriminatorChannels = 16 };
        using var t = new SuperResolutionTrainer(config, _dir);
        t.Fit(new Lib.Data.BatchLoader(train, 8, 32, true, 5, t.MakePairs), new Lib.Data.BatchLoader(val, 8, 32, false, 5, t.MakePairs), TextWriter.Null);
        var mse = t.Epochs["val_MSE"];
        var (pretrained, afterGan) = (mse[config.PretrainEpochs - 1], mse[^1]);
        Assert.True(afterGan < pretrained * 1.5, $"validation MSE went from {pretrained:0.00000} after pretraining to {afterGan:0.00000} after the GAN phase");
        Assert.True(t.BicubicValidation is { psnrY: > 20 }, "the bicubic validation baseline was not computed");
        // Every fifth epoch (the quick profile's SampleEvery) and the end of each phase.
        Assert.Equal(["epoch_005.png", "epoch_008.png", "epoch_010.png"], Directory.GetFiles(Path.Combine(_dir, "samples")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Resume_refuses_a_checkpoint_written_with_other_settings_and_names_them()
    {
        using var data = Photos(1, 40);
        var config = Tiny with { PretrainEpochs = 1, GanEpochs = 0 };
        using (var first = new SuperResolutionTrainer(config, _dir))
            first.Fit(new Lib.Data.BatchLoader(data, 8, 32, true, 1, first.MakePairs), new Lib.Data.BatchLoader(data, 8, 32, false, 1, first.MakePairs), TextWriter.Null);
        using (var longer = new SuperResolutionTrainer(config with { GanEpochs = 3, LogEvery = 1 }, _dir))
            Assert.True(longer.TryResume(TextWriter.Null));
        using var other = new SuperResolutionTrainer(config with { BicubicSkip = false, SigmoidOutput = true }, _dir);
        var e = Assert.Throws<InvalidOperationException>(() => other.TryResume(TextWriter.Null));
        Assert.Contains("SigmoidOutput false → true", e.Message);
        Assert.Contains("BicubicSkip true → false", e.Message);
        Assert.Contains(Path.Combine(_dir, "checkpoints"), e.Message);
    }

    [Fact]
    public void Resume_after_pretraining_repeats_the_gan_phase_exactly_and_the_fallback_is_named()
    {
        using var train = Photos(2, 40);
        using var val = Photos(1, 32);
        var log = new StringWriter();
        string Run(string name, SuperResolutionConfig config, bool resume, TextWriter w)
        {
            var dir = Path.Combine(_dir, name);
            using var t = new SuperResolutionTrainer(config, dir);
            if (resume) Assert.True(t.TryResume(TextWriter.Null));
            t.Fit(new Lib.Data.BatchLoader(train, 8, 32, true, 3, t.MakePairs), new Lib.Data.BatchLoader(val, 8, 32, false, 3, t.MakePairs), w);
            return dir;
        }
        var straight = Run("straight", Tiny, false, log);
        Assert.Contains("LIB_VGG19_WEIGHTS", log.ToString());
        var resumed = Run("resumed", Tiny with { GanEpochs = 0 }, false, TextWriter.Null);
        // The straight run's SRResNet checkpoint is its generator at the end of the MSE phase.
        var pretrained = Safetensors.load(Path.Combine(straight, "checkpoints", "srresnet.safetensors"));
        var afterPhase1 = Safetensors.load(Path.Combine(resumed, "checkpoints", "last.safetensors"));
        try
        {
            Assert.NotEmpty(pretrained);
            foreach (var (key, t) in pretrained) Assert.Equal(afterPhase1[key].ToArray<double>(), t.ToArray<double>());
        }
        finally { foreach (var t in pretrained.Values.Concat(afterPhase1.Values)) t.Dispose(); }
        manual_seed(12345);
        Run("resumed", Tiny, true, TextWriter.Null);
        var a = Lib.Training.LossHistory.Load(Path.Combine(straight, "history_steps.csv"));
        var b = Lib.Training.LossHistory.Load(Path.Combine(resumed, "history_steps.csv"));
        foreach (var column in new[] { "pretrain_mse", "loss_D", "content", "adversarial" })
            Assert.Equal(a[column], b[column]);
        Assert.True(File.Exists(Path.Combine(resumed, "samples", "epoch_002.png")));
    }
}

public class SuperResolutionScheduleTests
{
    [Fact]
    public void Step_schedule_restarts_with_each_phase()
    {
        var config = SuperResolutionConfig.Quick with { Device = "cpu", PretrainEpochs = 4, GanEpochs = 3, Lr = 1e-3, LrStepEpochs = 2, LrGamma = 0.5, VggWeights = "" };
        using var trainer = new SuperResolutionTrainer(config, Path.Combine(Path.GetTempPath(), "lib-sr-schedule"));
        Assert.Equal([1e-3, 1e-3, 5e-4, 5e-4, 1e-3, 1e-3, 5e-4], Enumerable.Range(0, 7).Select(trainer.LearningRate));
        using var constant = new SuperResolutionTrainer(config with { LrStepEpochs = 0 }, Path.Combine(Path.GetTempPath(), "lib-sr-schedule"));
        Assert.All(Enumerable.Range(0, 7).Select(constant.LearningRate), lr => Assert.Equal(1e-3, lr));
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
