using Lib.Data;
using Lib.Imaging;
using Lib.Losses;
using Lib.Metrics;
using Lib.Models;
using Lib.Reports;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Training;

/// <summary>
/// A conditional colorization GAN as pix2pix and the course report train it: G maps L to ab; D judges
/// (L, ab) pairs. Each step is a D step (real vs detached fake), then a G step with D frozen:
/// adversarial loss + λ·L1(ab). Validation: L1 on ab, PSNR and SSIM on RGB.
/// </summary>
public sealed class ColorizationTrainer : GanTrainer<ColorizationConfig>
{
    private readonly GanLoss _gan;

    public ColorizationTrainer(ColorizationConfig config, string outputDir) : base(config, outputDir) =>
        _gan = new GanLoss(config.GanMode, D.OutputsProbability);

    public override IReadOnlyList<string> ValidationMetrics => ["val_L1", "val_PSNR", "val_SSIM"];

    private IConditionalDiscriminator D => (IConditionalDiscriminator)Discriminator!;

    protected override nn.Module CreateDiscriminator() => Config.CreateDiscriminator();

    /// <summary>RGB batch in [0, 1] → (L, ab) in the network's [-1, 1] scale; the loaders' transform.</summary>
    public static Tensor[] ToLab(Tensor rgb)
    {
        var (l, ab) = Lab.to_network(rgb);
        return [l, ab];
    }

    /// <summary>
    /// The transform for a colorizer that will see photos <paramref name="downscale"/> times smaller than the loader's
    /// crops (the colorize-then-upscale pipeline's first stage): L and ab of the crop, each downscaled with antialiased
    /// bicubic — the input is the downscaled lightness, as the pipeline will give it.
    /// </summary>
    public static Func<Tensor, Tensor[]> ToLabDownscaled(int downscale) => rgb =>
    {
        var (l, ab) = Lab.to_network(rgb);
        using (l)
        using (ab)
            return [Resize.bicubic(l, 1.0 / downscale).clamp_(-1, 1), Resize.bicubic(ab, 1.0 / downscale)];
    };

    protected override (string name, double value)[] Step(Tensor l, Tensor ab)
    {
        var fake = Generator.call(l);
        var judgedFake = D.call(l, fake.detach());
        var lossD = _gan.discriminator(D.call(l, ab), judgedFake);
        if (!Update(OptimizerD!, lossD)) return Losses(lossD, null, null);
        Tensor lossGan, lossL1;
        using (Frozen(Discriminator!))
        {
            lossGan = _gan.call(D.call(l, fake), true);
            lossL1 = F.l1_loss(fake, ab);
            Update(OptimizerG, lossGan + lossL1 * Config.LambdaL1);
        }
        return Losses(lossD, lossGan, lossL1);
    }

    private static (string, double)[] Losses(Tensor d, Tensor? gan, Tensor? l1) =>
        [("loss_D", d.item<float>()), ("loss_G_gan", gan?.item<float>() ?? double.NaN), ("loss_G_L1", l1?.item<float>() ?? double.NaN)];

    /// <summary>Predicted ab for L (network scale), in eval mode without autograd, on <paramref name="l"/>'s device.</summary>
    public Tensor Colorize(Tensor l) => Predict(l);

    /// <summary>L1 on ab (network scale), and PSNR and SSIM on RGB (PSNR capped at 100 dB: identical images would be infinite).</summary>
    public override IReadOnlyDictionary<string, double> Validate(BatchLoader val) => MeanScores(val, (l, ab) =>
    {
        var predicted = Colorize(l);
        var (rgb, truth) = (Lab.from_network(l, predicted), Lab.from_network(l, ab));
        return [("val_L1", (predicted - ab).abs().mean([1, 2, 3])), ("val_PSNR", Psnr.psnr(rgb, truth).clamp(max: 100)), ("val_SSIM", Ssim.ssim(rgb, truth))];
    });

    /// <summary>gray | prediction | truth.</summary>
    public static ImageGrid SampleGrid(Tensor l, Tensor ab, Tensor predicted) => new ImageGrid()
        .Column("gray", Lab.from_network(l, zeros_like(ab)))
        .Column("prediction", Lab.from_network(l, predicted))
        .Column("truth", Lab.from_network(l, ab));

    /// <summary>gray | prediction | truth for L and the true ab.</summary>
    public override ImageGrid SampleGrid(Tensor l, Tensor ab) => SampleGrid(l, ab, Colorize(l));
}
