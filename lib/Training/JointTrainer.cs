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
/// The joint GAN: gray at ImageSize in, color at ImageSize × Scale out, in one generator. D judges
/// (bicubic-upscaled gray input, Lab) pairs, as pix2pix's conditional D judges (L, ab); G's loss is
/// adversarial + λ·L1 on Lab, + a VGG19 content term on RGB when weights exist.
/// Validation: L1 on Lab (network scale), PSNR and SSIM on RGB.
/// </summary>
public sealed class JointTrainer : GanTrainer<JointConfig>
{
    private readonly GanLoss _gan;
    private readonly PerceptualLoss? _content;

    /// <summary>Why the VGG19 content term is not used (null when it is).</summary>
    public override string? ContentFallbackReason { get; }

    public JointTrainer(JointConfig config, string outputDir) : base(config, outputDir)
    {
        _gan = new GanLoss(config.GanMode, probabilities: false);
        try { _content = new PerceptualLoss(config.VggWeights, config.VggLayer).to(Device); }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException) { ContentFallbackReason = e.Message; }
    }

    public override IReadOnlyList<string> ValidationMetrics => ["val_L1", "val_PSNR", "val_SSIM"];

    private PatchDiscriminator D => (PatchDiscriminator)Discriminator!;

    protected override nn.Module CreateDiscriminator() => Config.CreateDiscriminator();

    protected override (string name, double value)[] Step(Tensor gray, Tensor lab)
    {
        var fake = Generator.call(gray);
        var condition = Resize.bicubic(gray, lab.size(2), lab.size(3));
        var judgedFake = D.call(condition, fake.detach());
        var lossD = _gan.discriminator(D.call(condition, lab), judgedFake);
        if (!Update(OptimizerD!, lossD)) return [("loss_D", lossD.item<float>()), ("loss_G_gan", double.NaN), ("loss_G_L1", double.NaN), ("content", double.NaN)];
        Tensor gan, l1, content;
        using (Frozen(Discriminator!))
        {
            gan = _gan.call(D.call(condition, fake), true);
            l1 = F.l1_loss(fake, lab);
            content = _content is null ? zeros(1) : _content.call(ToRgb(fake), ToRgb(lab));
            Update(OptimizerG, gan + l1 * Config.LambdaL1 + content * Config.ContentWeight);
        }
        return [("loss_D", lossD.item<float>()), ("loss_G_gan", gan.item<float>()), ("loss_G_L1", l1.item<float>()), ("content", content.item<float>())];
    }

    /// <summary>Lab in network scale (N×3×H×W) → RGB in [0, 1].</summary>
    public static Tensor ToRgb(Tensor lab) => Lab.from_network(lab.narrow(1, 0, 1).clamp(-1, 1), lab.narrow(1, 1, 2));

    /// <summary>The color image for a gray input (L / 50 − 1), RGB in [0, 1] at Scale × the input size.</summary>
    public Tensor ColorizeAndUpscale(Tensor gray)
    {
        using var lab = Predict(gray);
        return ToRgb(lab);
    }

    protected override void OnFitStart(BatchLoader train, BatchLoader val, TextWriter log)
    {
        if (ContentFallbackReason is not null) log.WriteLine($"content loss: none (L1 + adversarial only), because {ContentFallbackReason}");
    }

    public override IReadOnlyDictionary<string, double> Validate(BatchLoader val) => MeanScores(val, (gray, lab) =>
    {
        var predicted = Predict(gray);
        var (rgb, truth) = (ToRgb(predicted), ToRgb(lab));
        return [("val_L1", (predicted - lab).abs().mean([1, 2, 3])), ("val_PSNR", Psnr.psnr(rgb, truth).clamp(max: 100)), ("val_SSIM", Ssim.ssim(rgb, truth))];
    });

    /// <summary>gray input (nearest) | bicubic gray | prediction | truth.</summary>
    public override ImageGrid SampleGrid(Tensor gray, Tensor lab)
    {
        var size = (lab.size(2), lab.size(3));
        var lightness = (gray + 1) / 2;
        return new ImageGrid()
            .Column("gray input", Lab.gray_to_rgb(F.interpolate(lightness, size)))
            .Column("bicubic gray", Lab.gray_to_rgb(Resize.bicubic(lightness, size.Item1, size.Item2).clamp(0, 1)))
            .Column("joint GAN", ColorizeAndUpscale(gray))
            .Column("truth", ToRgb(lab));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _content?.Dispose();
        base.Dispose(disposing);
    }
}
