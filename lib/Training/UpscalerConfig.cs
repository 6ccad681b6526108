using Lib.Data;
using Lib.Models;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// Every setting of a super-resolution run (saved as config.json). As in SRGAN (Ledig et al.) and BasicSR,
/// the PSNR-oriented SRResNet and the GAN are two runs: <see cref="Adversarial"/> false trains G alone on pixel
/// MSE; true adds the discriminator and trains G on the content loss (VGG19) + 1e-3 × adversarial, starting
/// from the SRResNet run's generator (<see cref="InitGenerator"/>, see <see cref="ForGanPhase"/>).
/// <see cref="Report"/> is the course report's setup (64→256 crops, 16 residual blocks, VGG19 relu5_4,
/// Adam 2e-4, betas 0.5/0.999), meant for a GPU; <see cref="Quick"/> runs in minutes on a 2-core CPU.
/// </summary>
public sealed record UpscalerConfig : RunConfig
{
    public UpscalerConfig()
    {
        BestMetric = "val_MSE";
        Data = new DataSettings { LoadSize = 288 };
    }

    public int Scale { get; init; } = 4;

    /// <summary>HR crop side; the LR input is HrSize / Scale.</summary>
    public int HrSize { get; init; } = 256;

    /// <summary>3 for RGB images; 1 for gray ones (the lightness L / 100, as the upscale-then-colorize pipeline needs).</summary>
    public int ImageChannels { get; init; } = 3;
    public int Blocks { get; init; } = 16;

    /// <summary>Feature channels of the residual blocks (64 in SRGAN).</summary>
    public int Channels { get; init; } = 64;
    public bool SigmoidOutput { get; init; } = true;

    /// <summary>
    /// SR = bicubic + the generator's output (needs <see cref="SigmoidOutput"/> false). Not the report's design:
    /// the quick profile uses it because in minutes on a CPU the report's SRResNet stays below bicubic.
    /// </summary>
    public bool BicubicSkip { get; init; }
    public int DiscriminatorChannels { get; init; } = 64;

    /// <summary>False: SRResNet, G alone on pixel MSE. True: SRGAN's GAN phase (D, content + adversarial loss).</summary>
    public bool Adversarial { get; init; }

    /// <summary>A checkpoint whose generator this run starts from (SRGAN starts from SRResNet); used only when the run starts afresh.</summary>
    public string? InitGenerator { get; init; }
    public double AdversarialWeight { get; init; } = 1e-3;
    public string VggLayer { get; init; } = "relu5_4";

    /// <summary>torchvision-format VGG19 .safetensors (null: the LIB_VGG19_WEIGHTS variable; absent: the fallback loss).</summary>
    public string? VggWeights { get; init; }

    /// <summary>
    /// Weight of the feature-matching loss used instead of VGG when no VGG weights exist. D's last-block
    /// features are O(1) (BatchNorm, LeakyReLU) while the pixel MSE of a near-bicubic image is O(1e-3);
    /// 1e-3 puts both on one scale, as SRGAN's 1/12.75 does for VGG features. At 1e-2 the first GAN
    /// epoch of the quick profile wrecked the pretrained generator (validation PSNR Y 38 → 8.5 dB).
    /// </summary>
    public double FeatureMatchingWeight { get; init; } = 1e-3;

    /// <summary>The report's SRResNet run (the GAN run: <see cref="ForGanPhase"/>).</summary>
    public static UpscalerConfig Report => new() { Profile = "report", SampleCount = 4, Epochs = 10 };

    /// <summary>
    /// Minutes on a 2-core CPU: 64-pixel HR tiles of the demo photos, a small SRResNet that learns the
    /// residual over bicubic (so it starts at the bicubic baseline), 28 MSE epochs; its GAN phase adds 7.
    /// </summary>
    public static UpscalerConfig Quick => new()
    {
        Profile = "quick", HrSize = 64, Data = new DataSettings { LoadSize = 72, TilesPerSide = 2, TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 },
        BatchSize = 16, Blocks = 4, Channels = 32, SigmoidOutput = false, BicubicSkip = true, DiscriminatorChannels = 16,
        Epochs = 28, Lr = 5e-4, SampleCount = 4, SampleEvery = 5,
    };

    /// <summary>
    /// The upscaler that ships in models/ (see models/README.md): a wider and deeper SRResNet than the quick one
    /// (6 blocks × 48 channels, the bicubic skip) on 96-pixel crops of photos kept near their own scale (two 180-pixel
    /// squares per shorter side), with SRResNet's own Adam (β₁ 0.9) and 2e-4 decaying linearly over the second half:
    /// at 5e-4 with the GAN's β₁ 0.5 a loss spike cost 2 dB of validation PSNR. 100 photos are held out for its card.
    /// </summary>
    public static UpscalerConfig Shipped => new()
    {
        Profile = "shipped", HrSize = 96, Data = new DataSettings { LoadSize = 180, TilesPerSide = 2, TrainImages = 100_000, ValImages = 40, TestImages = 100 },
        BatchSize = 16, Blocks = 6, Channels = 48, SigmoidOutput = false, BicubicSkip = true, DiscriminatorChannels = 16,
        Lr = 2e-4, Beta1 = 0.9, LrPolicy = LrPolicy.Linear, Epochs = 14, LrDecayEpochs = 7, SampleCount = 4, SampleEvery = 100_000, LogEvery = 100,
    };

    /// <summary>The GAN run that continues this SRResNet run: same models and data, D added, G from <paramref name="pretrained"/>.</summary>
    public UpscalerConfig ForGanPhase(string pretrained, int epochs) =>
        this with { Adversarial = true, InitGenerator = pretrained, Epochs = epochs };

    public override IReadOnlyCollection<string> MayChangeOnResume => [.. base.MayChangeOnResume, nameof(InitGenerator)];

    public override torch.nn.Module<Tensor, Tensor> CreateGenerator() =>
        new SRResNet(Scale, Blocks, Channels, SigmoidOutput, BicubicSkip, ImageChannels);

    public SRGANDiscriminator CreateDiscriminator() => new(HrSize, DiscriminatorChannels, ImageChannels);

    public override void Validate()
    {
        base.Validate();
        Require(Scale is 2 or 4 or 8, nameof(Scale), Scale, "must be 2, 4 or 8");
        Require(HrSize % Scale == 0 && HrSize >= 16, nameof(HrSize), HrSize, $"must be a multiple of Scale ({Scale}) and at least 16");
        RequireData(HrSize);
        Require(ImageChannels is 1 or 3, nameof(ImageChannels), ImageChannels, "must be 3 (RGB) or 1 (gray)");
        Require(!(SigmoidOutput && BicubicSkip), nameof(BicubicSkip), BicubicSkip, "needs SigmoidOutput false (the skip adds to a bicubic image)");
        Require(Blocks >= 0 && Channels > 0, nameof(Blocks), Blocks, "must not be negative (and Channels must be positive)");
        Require(AdversarialWeight >= 0 && FeatureMatchingWeight >= 0, nameof(AdversarialWeight), AdversarialWeight, "and FeatureMatchingWeight must not be negative");
    }
}
