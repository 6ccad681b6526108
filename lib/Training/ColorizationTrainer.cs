using System.Globalization;
using Lib.Data;
using Lib.Imaging;
using Lib.Losses;
using Lib.Models;
using Lib.Reports;
using Lib.Torch;
using Lib.Torch.Optimizers;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Training;

/// <summary>
/// Trains a conditional colorization GAN as pix2pix and the course report do: G maps L to ab; D judges
/// (L, ab) pairs. Each step is a D step (real vs detached fake), then a G step with D frozen:
/// adversarial loss + λ·L1(ab). Every epoch it validates, writes a sample grid, the loss history and
/// the last checkpoint, and keeps the best checkpoint by validation L1.
/// </summary>
public sealed class ColorizationTrainer : IDisposable
{
    private readonly GanLoss _gan;
    private readonly string _dir;
    private Tensor? _sampleL, _sampleAb;

    public ColorizationConfig Config { get; }

    /// <summary>Where the models train (the config's Device setting, resolved).</summary>
    public Device Device { get; }
    public nn.Module<Tensor, Tensor> Generator { get; }
    public nn.Module Discriminator { get; }
    public Optimizer OptimizerG { get; }
    public Optimizer OptimizerD { get; }

    /// <summary>Per-step losses: loss_D, loss_G_gan, loss_G_L1.</summary>
    public LossHistory Steps { get; private set; } = new();

    /// <summary>Per-epoch means and validation metrics.</summary>
    public LossHistory Epochs { get; private set; } = new();

    /// <summary>Epochs completed (a resumed run continues from here).</summary>
    public int EpochsDone { get; private set; }

    public double BestValL1 { get; private set; } = double.PositiveInfinity;

    public string LastCheckpoint => Path.Combine(_dir, "checkpoints", "last.safetensors");
    public string BestCheckpoint => Path.Combine(_dir, "checkpoints", "best.safetensors");

    private IConditionalDiscriminator D => (IConditionalDiscriminator)Discriminator;

    /// <param name="outputDir">Where config.json, history CSVs, sample grids and checkpoints go.</param>
    public ColorizationTrainer(ColorizationConfig config, string outputDir)
    {
        Config = config;
        _dir = Path.GetFullPath(outputDir);
        Device = TrainingDevice.Resolve(config.Device);
        manual_seed(config.Seed);
        Generator = config.Generator switch
        {
            ColorizerGenerator.Report => new ReportUnet(1, 2, config.GeneratorWidth),
            _ => new UnetGenerator(1, 2, (int)Math.Round(Math.Log2(config.ImageSize)), config.GeneratorWidth),
        };
        Discriminator = config.Discriminator switch
        {
            ColorizerDiscriminator.Report => new ReportDiscriminator(3, config.DiscriminatorWidth),
            _ => new PatchDiscriminator(3, config.DiscriminatorWidth, config.DiscriminatorLayers),
        };
        if (config.Generator == ColorizerGenerator.Pix2Pix) Pix2PixInit.Apply(Generator);
        Generator.to(Device);
        Discriminator.to(Device);
        OptimizerG = optim.Adam(Generator.parameters(), config.Lr, config.Beta1, config.Beta2);
        OptimizerD = optim.Adam(Discriminator.parameters(), config.Lr, config.Beta1, config.Beta2);
        _gan = new GanLoss(config.GanMode);
    }

    /// <summary>RGB batch in [0, 1] → (L, ab) in the network's [-1, 1] scale; the loaders' transform.</summary>
    public static Tensor[] ToLab(Tensor rgb)
    {
        var (l, ab) = Lab.to_network(rgb);
        return [l, ab];
    }

    /// <summary>One D step and one G step; returns (loss_D, loss_G_gan, loss_G_L1).</summary>
    public (double lossD, double lossGan, double lossL1) TrainStep(Tensor l, Tensor ab)
    {
        using var scope = NewDisposeScope();
        (l, ab) = (l.to(Device), ab.to(Device));
        Generator.train();
        Discriminator.train();
        var fake = Generator.call(l);

        SetRequiresGrad(Discriminator, true);
        OptimizerD.zero_grad();
        var lossD = (_gan.call(D.call(l, fake.detach()), false, D.OutputsProbability) +
                     _gan.call(D.call(l, ab), true, D.OutputsProbability)) * 0.5;
        lossD.backward();
        OptimizerD.step();

        // D is frozen for the G step: its gradients would be wasted work.
        SetRequiresGrad(Discriminator, false);
        OptimizerG.zero_grad();
        var lossGan = _gan.call(D.call(l, fake), true, D.OutputsProbability);
        var lossL1 = F.l1_loss(fake, ab);
        (lossGan + lossL1 * Config.LambdaL1).backward();
        OptimizerG.step();
        SetRequiresGrad(Discriminator, true);
        return (lossD.item<float>(), lossGan.item<float>(), lossL1.item<float>());
    }

    private static void SetRequiresGrad(nn.Module m, bool on)
    {
        foreach (var p in m.parameters()) p.requires_grad = on;
    }

    /// <summary>Predicted ab for L, in eval mode without autograd, on <paramref name="l"/>'s device.</summary>
    public Tensor Colorize(Tensor l)
    {
        Generator.eval();
        using var scope = NewDisposeScope();
        using (no_grad()) return Generator.call(l.to(Device)).to(l.device).MoveToOuterDisposeScope();
    }

    /// <summary>Mean L1 (ab, network scale), PSNR and SSIM (RGB) over a loader.</summary>
    public ColorizationScores Validate(BatchLoader val)
    {
        var acc = new ColorizationScores.Accumulator();
        foreach (var batch in val.Epoch(0))
        {
            using var scope = NewDisposeScope();
            batch.IncludeIn(scope);
            var (l, ab) = (batch[0].to(Device), batch[1].to(Device));
            acc.Add(l, ab, Colorize(l));
        }
        return acc.Result();
    }

    /// <summary>
    /// Trains until Config.Epochs are done (continuing a resumed run), validating each epoch.
    /// </summary>
    public void Fit(BatchLoader train, BatchLoader val, TextWriter? log = null)
    {
        log ??= Console.Out;
        Directory.CreateDirectory(_dir);
        Config.Save(Path.Combine(_dir, "config.json"));
        PickSamples(val);
        var total = (long)train.BatchesPerEpoch * Config.Epochs;
        var progress = new Progress("step", total, Config.LogEvery, log);
        var step = (long)train.BatchesPerEpoch * EpochsDone;
        for (var epoch = EpochsDone; epoch < Config.Epochs; epoch++)
        {
            double sumD = 0, sumGan = 0, sumL1 = 0;
            var n = 0;
            foreach (var batch in train.Epoch(epoch))
            {
                using (batch)
                {
                    var (d, gan, l1) = TrainStep(batch[0], batch[1]);
                    Steps.Add(("epoch", epoch + 1), ("loss_D", d), ("loss_G_gan", gan), ("loss_G_L1", l1));
                    (sumD, sumGan, sumL1, n) = (sumD + d, sumGan + gan, sumL1 + l1, n + 1);
                    progress.Report(++step, batch.Size, ("D", d), ("G_gan", gan), ("L1", l1));
                }
            }
            var scores = Validate(val);
            EpochsDone = epoch + 1;
            Epochs.Add(("epoch", EpochsDone), ("loss_D", sumD / n), ("loss_G_gan", sumGan / n), ("loss_G_L1", sumL1 / n),
                       ("val_L1", scores.L1), ("val_PSNR", scores.Psnr), ("val_SSIM", scores.Ssim));
            log.WriteLine($"epoch {EpochsDone}/{Config.Epochs}: train L1 {sumL1 / n:0.0000}, val L1 {scores.L1:0.0000}, " +
                          $"val PSNR {scores.Psnr:0.00} dB, val SSIM {scores.Ssim:0.0000}");
            SaveSampleGrid(Path.Combine(_dir, "samples", $"epoch_{EpochsDone:D3}.png"));
            LossHistory.SaveRun(_dir, Steps, Epochs);
            var isBest = scores.L1 < BestValL1;
            if (isBest) BestValL1 = scores.L1;
            SaveCheckpoint(LastCheckpoint);
            if (isBest)
            {
                File.Copy(LastCheckpoint, BestCheckpoint, overwrite: true);
                log.WriteLine($"  new best validation L1 → {BestCheckpoint}");
            }
        }
    }

    public void SaveCheckpoint(string path) =>
        Checkpoint.Save(path, Modules(), Optimizers(), new Dictionary<string, string>
        {
            ["epochs_done"] = EpochsDone.ToString(CultureInfo.InvariantCulture),
            ["best_val_L1"] = BestValL1.ToString("R", CultureInfo.InvariantCulture),
            ["config"] = Config.ToJson(),
        });

    /// <summary>
    /// Continues from the last checkpoint in the output folder, if there is one; true when it did. A checkpoint
    /// written with other settings (beyond the epoch count, the device and the logging) is refused, named.
    /// </summary>
    public bool TryResume(TextWriter? log = null)
    {
        if (!File.Exists(LastCheckpoint)) return false;
        ResumeSettings.EnsureSame(LastCheckpoint, Config.ToJson());
        var meta = Checkpoint.Load(LastCheckpoint, Modules(), Optimizers());
        EpochsDone = int.Parse(meta["epochs_done"], CultureInfo.InvariantCulture);
        BestValL1 = double.Parse(meta["best_val_L1"], CultureInfo.InvariantCulture);
        (Steps, Epochs) = LossHistory.LoadRun(_dir, EpochsDone);
        (log ?? Console.Out).WriteLine($"resumed from {LastCheckpoint} after epoch {EpochsDone}");
        return true;
    }

    /// <summary>Loads the best checkpoint's weights into G and D (for evaluation).</summary>
    public void LoadBest() => Checkpoint.Load(BestCheckpoint, Modules(), restoreRng: false);

    private Dictionary<string, nn.Module> Modules() => new() { ["G"] = Generator, ["D"] = Discriminator };

    private Dictionary<string, Optimizer> Optimizers() => new() { ["optG"] = OptimizerG, ["optD"] = OptimizerD };

    private void PickSamples(BatchLoader val)
    {
        if (_sampleL is not null) return;
        foreach (var batch in val.Epoch(0))
        {
            using (batch)
            {
                var k = Math.Min(Config.SampleCount, batch.Size);
                _sampleL = batch[0].narrow(0, 0, k).clone().DetachFromDisposeScope();
                _sampleAb = batch[1].narrow(0, 0, k).clone().DetachFromDisposeScope();
            }
            break;
        }
    }

    /// <summary>gray | prediction | truth for the fixed validation samples.</summary>
    public ImageGrid SampleGrid(Tensor l, Tensor ab, Tensor predicted) => new ImageGrid()
        .Column("gray", Lab.from_network(l, zeros_like(ab)))
        .Column("prediction", Lab.from_network(l, predicted))
        .Column("truth", Lab.from_network(l, ab));

    private void SaveSampleGrid(string path)
    {
        if (_sampleL is null || _sampleAb is null) return;
        using var scope = NewDisposeScope();
        SampleGrid(_sampleL, _sampleAb, Colorize(_sampleL)).Save(path);
    }

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        OptimizerG.Dispose();
        OptimizerD.Dispose();
        _sampleL?.Dispose();
        _sampleAb?.Dispose();
    }
}
