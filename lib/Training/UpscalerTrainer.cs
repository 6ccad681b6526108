using Lib.Data;
using Lib.Imaging;
using Lib.Losses;
using Lib.Metrics;
using Lib.Models;
using Lib.Plots;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Training;

/// <summary>
/// Super-resolution as Ledig et al. (SRGAN) and the course report train it, in two runs: SRResNet (G alone
/// on pixel MSE) and the GAN run that starts from it (<see cref="UpscalerConfig.Adversarial"/>): a D step
/// on real HR vs generated images, then a G step on the content loss (VGG19 features) + 1e-3 × adversarial.
/// Without VGG19 weights the content loss falls back, visibly, to pixel MSE + a feature-matching loss on D's
/// features. Validation: pixel MSE and Y-channel PSNR/SSIM with the border cropped by the scale.
/// </summary>
public sealed class UpscalerTrainer : GanTrainer<UpscalerConfig>
{
    private readonly PerceptualLoss? _perceptual;
    private readonly GanLoss _gan = new(GanMode.Vanilla, probabilities: false);

    /// <summary>Why the VGG content loss is not used (null when it is, or when the run has no GAN phase).</summary>
    public override string? ContentFallbackReason { get; }

    /// <summary>Bicubic ×scale on the validation set (set by <see cref="GanTrainer{T}.Fit"/>): the line a trained generator should be above.</summary>
    public IReadOnlyDictionary<string, double>? BicubicValidation { get; private set; }

    public UpscalerTrainer(UpscalerConfig config, string outputDir) : base(config, outputDir)
    {
        if (config.InitGenerator is { Length: > 0 } init)
        {
            if (!File.Exists(init))
                throw new FileNotFoundException($"InitGenerator = {init}: no such checkpoint (train the SRResNet run first, or set InitGenerator to null)", init);
            Checkpoint.Load(init, new Dictionary<string, nn.Module> { ["G"] = Generator }, restoreRng: false);
        }
        if (!config.Adversarial) return;
        if (config.ImageChannels != 3)
            ContentFallbackReason = "VGG19 sees RGB images and this upscaler works on gray ones";
        else
            try { _perceptual = new PerceptualLoss(config.VggWeights, config.VggLayer).to(Device); }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException) { ContentFallbackReason = e.Message; }
    }

    public override IReadOnlyList<string> ValidationMetrics => ["val_MSE", "val_PSNR_Y", "val_SSIM_Y"];

    private SRGANDiscriminator D => (SRGANDiscriminator)Discriminator!;

    protected override nn.Module? CreateDiscriminator() => Config.Adversarial ? Config.CreateDiscriminator() : null;

    protected override (string name, double value)[] Step(Tensor lr, Tensor hr)
    {
        var sr = Generator.call(lr);
        if (!Config.Adversarial)
        {
            var mse = F.mse_loss(sr, hr);
            Update(OptimizerG, mse);
            return [("mse", mse.item<float>())];
        }
        var judgedReal = D.call(hr);
        var lossD = _gan.discriminator(judgedReal, D.call(sr.detach()));
        if (!Update(OptimizerD!, lossD)) return [("loss_D", lossD.item<float>()), ("content", double.NaN), ("adversarial", double.NaN)];
        Tensor adversarial, content;
        using (Frozen(Discriminator!))
        {
            adversarial = _gan.call(D.call(sr), true);
            content = _perceptual is not null ? _perceptual.call(sr, hr) : FallbackContent(sr, hr);
            Update(OptimizerG, content + adversarial * Config.AdversarialWeight);
        }
        return [("loss_D", lossD.item<float>()), ("content", content.item<float>()), ("adversarial", adversarial.item<float>())];
    }

    /// <summary>Pixel MSE + matching D's features of SR and HR (D is frozen during the G step).</summary>
    private Tensor FallbackContent(Tensor sr, Tensor hr)
    {
        var fSr = D.features_of(sr);
        Tensor fHr;
        using (no_grad()) fHr = D.features_of(hr);
        return F.mse_loss(sr, hr) + F.mse_loss(fSr, fHr) * Config.FeatureMatchingWeight;
    }

    /// <summary>The generator's ×scale output in [0, 1], in eval mode, on <paramref name="lr"/>'s device.</summary>
    public Tensor Upscale(Tensor lr)
    {
        using var sr = Predict(lr);
        return sr.clamp(0, 1);
    }

    protected override void OnFitStart(BatchLoader train, BatchLoader val, TextWriter log)
    {
        if (ContentFallbackReason is not null)
            log.WriteLine($"content loss: pixel MSE + D feature matching instead of VGG19, because {ContentFallbackReason}");
        BicubicValidation ??= ValidateBicubic(val);
        log.WriteLine($"validation baseline, bicubic ×{Config.Scale}: " + string.Join(", ", BicubicValidation.Select(kv => $"{kv.Key} {kv.Value:0.#####}")));
    }

    public override IReadOnlyDictionary<string, double> Validate(BatchLoader val) => Validate(val, Upscale);

    /// <summary>The same scores for bicubic upscaling of the validation inputs.</summary>
    public IReadOnlyDictionary<string, double> ValidateBicubic(BatchLoader val) =>
        Validate(val, lr => Resize.bicubic(lr, lr.size(2) * Config.Scale, lr.size(3) * Config.Scale).clamp_(0, 1));

    private Dictionary<string, double> Validate(BatchLoader val, Func<Tensor, Tensor> upscale) => MeanScores(val, (lr, hr) =>
    {
        var sr = upscale(lr);
        var (ySr, yHr) = (YChannel.crop(Luma(sr), Config.Scale), YChannel.crop(Luma(hr), Config.Scale));
        return [("val_MSE", F.mse_loss(sr, hr, nn.Reduction.None).mean([1, 2, 3])), ("val_PSNR_Y", Psnr.psnr(ySr, yHr, 255).clamp(max: 100)), ("val_SSIM_Y", Ssim.ssim(ySr, yHr, 255))];
    });

    /// <summary>BT.601 Y (0–255) of RGB; a gray image's own channel on 0–255.</summary>
    private static Tensor Luma(Tensor x) => x.size(1) == 1 ? x * 255 : YChannel.rgb_to_y(x);

    /// <summary>LR (nearest, to HR size) | bicubic | SR | HR.</summary>
    public override ImageGrid SampleGrid(Tensor lr, Tensor hr)
    {
        var size = (hr.size(2), hr.size(3));
        static Tensor Rgb(Tensor x) => x.size(1) == 1 ? Lab.gray_to_rgb(x) : x;
        return new ImageGrid()
            .Column("LR", Rgb(F.interpolate(lr, size)))
            .Column("bicubic", Rgb(Resize.bicubic(lr, size.Item1, size.Item2).clamp(0, 1)))
            .Column("SR", Rgb(Upscale(lr)))
            .Column("HR", Rgb(hr));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _perceptual?.Dispose();
        base.Dispose(disposing);
    }
}
