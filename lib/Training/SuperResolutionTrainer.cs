using System.Globalization;
using Lib.Data;
using Lib.Imaging;
using Lib.Losses;
using Lib.Metrics;
using Lib.Models;
using Lib.Reports;
using Lib.Torch;
using Lib.Torch.Optimizers;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Training;

/// <summary>
/// Trains SRGAN as Ledig et al. and the course report do: first the generator alone on pixel MSE
/// (SRResNet), then the GAN phase — a D step on real HR vs generated images, and a G step on the
/// content loss (VGG19 features) + 1e-3 × adversarial. Without VGG19 weights the content loss falls
/// back, visibly, to pixel MSE + a feature-matching loss on D's features. Every epoch: validation
/// MSE and Y-channel PSNR/SSIM, a sample grid, history CSVs, last and best (by validation MSE) checkpoints.
/// </summary>
public sealed class SuperResolutionTrainer : IDisposable
{
    private readonly string _dir;
    private readonly PerceptualLoss? _perceptual;
    private Tensor? _sampleLr, _sampleHr;

    public SuperResolutionConfig Config { get; }

    /// <summary>Where the models train (the config's Device setting, resolved).</summary>
    public Device Device { get; }
    public SRResNet Generator { get; }
    public SRGANDiscriminator Discriminator { get; }
    public Optimizer OptimizerG { get; }
    public Optimizer OptimizerD { get; }

    /// <summary>Why the VGG content loss is not used (null when it is).</summary>
    public string? ContentFallbackReason { get; }

    public LossHistory Steps { get; private set; } = new();
    public LossHistory Epochs { get; private set; } = new();
    public int EpochsDone { get; private set; }
    public double BestValMse { get; private set; } = double.PositiveInfinity;
    public int TotalEpochs => Config.PretrainEpochs + Config.GanEpochs;
    public string LastCheckpoint => Path.Combine(_dir, "checkpoints", "last.safetensors");
    public string BestCheckpoint => Path.Combine(_dir, "checkpoints", "best.safetensors");

    /// <summary>The generator at the end of the MSE phase: SRResNet, the PSNR-oriented model of Ledig et al.</summary>
    public string SRResNetCheckpoint => Path.Combine(_dir, "checkpoints", "srresnet.safetensors");

    public SuperResolutionTrainer(SuperResolutionConfig config, string outputDir)
    {
        Config = config;
        _dir = Path.GetFullPath(outputDir);
        Device = TrainingDevice.Resolve(config.Device);
        manual_seed(config.Seed);
        Generator = new SRResNet(config.Scale, config.Blocks, config.Channels, config.SigmoidOutput, config.BicubicSkip);
        Discriminator = new SRGANDiscriminator(config.HrSize, config.DiscriminatorChannels);
        Generator.to(Device);
        Discriminator.to(Device);
        OptimizerG = optim.Adam(Generator.parameters(), config.Lr, config.Beta1, config.Beta2);
        OptimizerD = optim.Adam(Discriminator.parameters(), config.Lr, config.Beta1, config.Beta2);
        try { _perceptual = new PerceptualLoss(config.VggWeights, config.VggLayer).to(Device); }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            ContentFallbackReason = e.Message;
        }
    }

    /// <summary>HR batch in [0, 1] → (LR by antialiased bicubic ×1/scale, HR): the loaders' transform.</summary>
    public Func<Tensor, Tensor[]> MakePairs => hr => [Resize.bicubic(hr, 1.0 / Config.Scale).clamp_(0, 1), hr.alias()];

    /// <summary>One step of the MSE pretraining phase; returns the pixel MSE.</summary>
    public double PretrainStep(Tensor lr, Tensor hr)
    {
        using var scope = NewDisposeScope();
        (lr, hr) = (lr.to(Device), hr.to(Device));
        Generator.train();
        OptimizerG.zero_grad();
        var loss = F.mse_loss(Generator.call(lr), hr);
        loss.backward();
        OptimizerG.step();
        return loss.item<float>();
    }

    /// <summary>One D step and one G step; returns (loss_D, content, adversarial).</summary>
    public (double lossD, double content, double adversarial) GanStep(Tensor lr, Tensor hr)
    {
        using var scope = NewDisposeScope();
        (lr, hr) = (lr.to(Device), hr.to(Device));
        Generator.train();
        Discriminator.train();
        var sr = Generator.call(lr);
        foreach (var p in Discriminator.parameters()) p.requires_grad = true;
        OptimizerD.zero_grad();
        var real = Discriminator.call(hr);
        var fake = Discriminator.call(sr.detach());
        var lossD = (F.binary_cross_entropy_with_logits(real, ones_like(real)) + F.binary_cross_entropy_with_logits(fake, zeros_like(fake))) * 0.5;
        lossD.backward();
        OptimizerD.step();

        foreach (var p in Discriminator.parameters()) p.requires_grad = false;
        OptimizerG.zero_grad();
        var judged = Discriminator.call(sr);
        var adversarial = F.binary_cross_entropy_with_logits(judged, ones_like(judged));
        var content = _perceptual is not null ? _perceptual.call(sr, hr) : FallbackContent(sr, hr);
        (content + adversarial * Config.AdversarialWeight).backward();
        OptimizerG.step();
        foreach (var p in Discriminator.parameters()) p.requires_grad = true;
        return (lossD.item<float>(), content.item<float>(), adversarial.item<float>());
    }

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based): StepLR within each phase.</summary>
    public double LearningRate(int epoch)
    {
        var inPhase = epoch < Config.PretrainEpochs ? epoch : epoch - Config.PretrainEpochs;
        return Config.LrStepEpochs > 0 ? Config.Lr * Math.Pow(Config.LrGamma, inPhase / Config.LrStepEpochs) : Config.Lr;
    }

    /// <summary>Pixel MSE + matching D's features of SR and HR (D is frozen during the G step).</summary>
    private Tensor FallbackContent(Tensor sr, Tensor hr)
    {
        var fSr = Discriminator.features_of(sr);
        Tensor fHr;
        using (no_grad()) fHr = Discriminator.features_of(hr);
        return F.mse_loss(sr, hr) + F.mse_loss(fSr, fHr) * Config.FeatureMatchingWeight;
    }

    /// <summary>The generator's ×scale output in [0, 1], in eval mode, on <paramref name="lr"/>'s device.</summary>
    public Tensor Upscale(Tensor lr)
    {
        Generator.eval();
        using var scope = NewDisposeScope();
        using (no_grad()) return Generator.call(lr.to(Device)).clamp_(0, 1).to(lr.device).MoveToOuterDisposeScope();
    }

    /// <summary>Bicubic ×scale on the validation set (set by <see cref="Fit"/>): the line a trained generator should be above.</summary>
    public (double mse, double psnrY, double ssimY)? BicubicValidation { get; private set; }

    /// <summary>Validation pixel MSE and Y-channel PSNR/SSIM (border cropped by the scale).</summary>
    public (double mse, double psnrY, double ssimY) Validate(BatchLoader val) => Validate(val, Upscale);

    /// <summary>The same scores for bicubic upscaling of the validation inputs.</summary>
    public (double mse, double psnrY, double ssimY) ValidateBicubic(BatchLoader val) =>
        Validate(val, lr => Resize.bicubic(lr, lr.size(2) * Config.Scale, lr.size(3) * Config.Scale).clamp_(0, 1));

    private (double mse, double psnrY, double ssimY) Validate(BatchLoader val, Func<Tensor, Tensor> upscale)
    {
        double mse = 0, psnr = 0, ssim = 0;
        var n = 0;
        foreach (var batch in val.Epoch(0))
        {
            using var scope = NewDisposeScope();
            batch.IncludeIn(scope);
            var (lr, hr) = (batch[0].to(Device), batch[1].to(Device));
            var sr = upscale(lr);
            mse += F.mse_loss(sr, hr, nn.Reduction.None).mean([1, 2, 3]).sum().item<double>();
            var (ySr, yHr) = (YChannel.crop(YChannel.rgb_to_y(sr), Config.Scale), YChannel.crop(YChannel.rgb_to_y(hr), Config.Scale));
            psnr += Psnr.psnr(ySr, yHr, 255).clamp(max: 100).sum().item<double>();
            ssim += Ssim.ssim(ySr, yHr, 255).sum().item<double>();
            n += (int)lr.size(0);
        }
        return (mse / n, psnr / n, ssim / n);
    }

    public void Fit(BatchLoader train, BatchLoader val, TextWriter? log = null)
    {
        log ??= Console.Out;
        Directory.CreateDirectory(_dir);
        Config.Save(Path.Combine(_dir, "config.json"));
        if (ContentFallbackReason is not null && Config.GanEpochs > 0)
            log.WriteLine($"content loss: pixel MSE + D feature matching instead of VGG19, because {ContentFallbackReason}");
        PickSamples(val);
        var (bMse, bPsnr, bSsim) = (BicubicValidation ??= ValidateBicubic(val));
        log.WriteLine($"validation baseline, bicubic ×{Config.Scale}: MSE {bMse:0.00000}, PSNR Y {bPsnr:0.00} dB, SSIM Y {bSsim:0.0000}");
        var progress = new Progress("step", (long)train.BatchesPerEpoch * TotalEpochs, Config.LogEvery, log);
        var step = (long)train.BatchesPerEpoch * EpochsDone;
        for (var epoch = EpochsDone; epoch < TotalEpochs; epoch++)
        {
            var pretrain = epoch < Config.PretrainEpochs;
            var phase = pretrain ? "pretrain" : "gan";
            OptimizerG.lr = OptimizerD.lr = LearningRate(epoch);
            foreach (var batch in train.Epoch(epoch))
                using (batch)
                {
                    if (pretrain)
                    {
                        var mse = PretrainStep(batch[0], batch[1]);
                        Steps.Add(("epoch", epoch + 1), ("pretrain_mse", mse));
                        progress.Report(++step, batch.Size, ("MSE", mse));
                    }
                    else
                    {
                        var (d, content, adv) = GanStep(batch[0], batch[1]);
                        Steps.Add(("epoch", epoch + 1), ("loss_D", d), ("content", content), ("adversarial", adv));
                        progress.Report(++step, batch.Size, ("D", d), ("content", content), ("adv", adv));
                    }
                }
            var (vMse, vPsnr, vSsim) = Validate(val);
            EpochsDone = epoch + 1;
            Epochs.Add(("epoch", EpochsDone), ("gan_phase", pretrain ? 0 : 1), ("lr", OptimizerG.lr), ("val_MSE", vMse), ("val_PSNR_Y", vPsnr), ("val_SSIM_Y", vSsim));
            log.WriteLine($"epoch {EpochsDone}/{TotalEpochs} ({phase}): val MSE {vMse:0.00000}, PSNR Y {vPsnr:0.00} dB, SSIM Y {vSsim:0.0000}");
            if (EpochsDone % Math.Max(1, Config.SampleEvery) == 0 || EpochsDone == Config.PretrainEpochs || EpochsDone == TotalEpochs)
                using (NewDisposeScope())
                    SampleGrid(_sampleLr!, _sampleHr!).Save(Path.Combine(_dir, "samples", $"epoch_{EpochsDone:D3}.png"), scale: 2);
            LossHistory.SaveRun(_dir, Steps, Epochs);
            var best = vMse < BestValMse;
            if (best) BestValMse = vMse;
            Checkpoint.Save(LastCheckpoint, Modules(), Optimizers(), new Dictionary<string, string>
            {
                ["epochs_done"] = EpochsDone.ToString(CultureInfo.InvariantCulture),
                ["best_val_MSE"] = BestValMse.ToString("R", CultureInfo.InvariantCulture),
                ["config"] = Config.ToJson(),
            });
            if (best) File.Copy(LastCheckpoint, BestCheckpoint, overwrite: true);
            if (EpochsDone == Config.PretrainEpochs)
                Checkpoint.Save(SRResNetCheckpoint, new Dictionary<string, nn.Module> { ["G"] = Generator }, includeRng: false,
                    metadata: new Dictionary<string, string> { ["epochs_done"] = EpochsDone.ToString(CultureInfo.InvariantCulture), ["config"] = Config.ToJson() });
        }
    }

    /// <summary>
    /// Continues from the last checkpoint in the output folder, if there is one; true when it did. A checkpoint
    /// written with other settings (beyond the epoch counts, the device and the logging) is refused, named.
    /// </summary>
    public bool TryResume(TextWriter? log = null)
    {
        if (!File.Exists(LastCheckpoint)) return false;
        ResumeSettings.EnsureSame(LastCheckpoint, Config.ToJson());
        var meta = Checkpoint.Load(LastCheckpoint, Modules(), Optimizers());
        EpochsDone = int.Parse(meta["epochs_done"], CultureInfo.InvariantCulture);
        BestValMse = double.Parse(meta["best_val_MSE"], CultureInfo.InvariantCulture);
        (Steps, Epochs) = LossHistory.LoadRun(_dir, EpochsDone);
        (log ?? Console.Out).WriteLine($"resumed from {LastCheckpoint} after epoch {EpochsDone}");
        return true;
    }

    public void LoadBest() => Checkpoint.Load(BestCheckpoint, Modules(), restoreRng: false);

    /// <summary>Loads the last epoch's generator and discriminator (after <see cref="LoadSRResNet"/>, back to SRGAN).</summary>
    public void LoadLast() => Checkpoint.Load(LastCheckpoint, Modules(), restoreRng: false);

    /// <summary>Loads the generator saved at the end of the MSE phase (<see cref="SRResNetCheckpoint"/>).</summary>
    public void LoadSRResNet() => Checkpoint.Load(SRResNetCheckpoint, new Dictionary<string, nn.Module> { ["G"] = Generator }, restoreRng: false);

    /// <summary>LR (nearest, to HR size) | bicubic | SR | HR.</summary>
    public ImageGrid SampleGrid(Tensor lr, Tensor hr)
    {
        var size = (hr.size(2), hr.size(3));
        return new ImageGrid()
            .Column("LR", F.interpolate(lr, size))
            .Column("bicubic", Resize.bicubic(lr, size.Item1, size.Item2).clamp(0, 1))
            .Column("SR", Upscale(lr))
            .Column("HR", hr);
    }

    private void PickSamples(BatchLoader val)
    {
        if (_sampleLr is not null) return;
        foreach (var batch in val.Epoch(0))
            using (batch)
            {
                var k = Math.Min(Config.SampleCount, batch.Size);
                _sampleLr = batch[0].narrow(0, 0, k).clone().DetachFromDisposeScope();
                _sampleHr = batch[1].narrow(0, 0, k).clone().DetachFromDisposeScope();
                break;
            }
    }

    private Dictionary<string, nn.Module> Modules() => new() { ["G"] = Generator, ["D"] = Discriminator };
    private Dictionary<string, Optimizer> Optimizers() => new() { ["optG"] = OptimizerG, ["optD"] = OptimizerD };

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        OptimizerG.Dispose();
        OptimizerD.Dispose();
        _perceptual?.Dispose();
        _sampleLr?.Dispose();
        _sampleHr?.Dispose();
    }
}
