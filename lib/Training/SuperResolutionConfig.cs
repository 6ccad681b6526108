using System.Text.Json;

namespace Lib.Training;

/// <summary>
/// Every setting of a super-resolution run (saved as config.json). <see cref="Report"/> is the course
/// report's setup (SRGAN: 64→256 crops, 16 residual blocks, VGG19 relu5_4 + 1e-3 adversarial, Adam 2e-4,
/// betas 0.5/0.999), meant for a GPU; <see cref="Quick"/> runs in minutes on a 2-core CPU.
/// </summary>
public sealed record SuperResolutionConfig
{
    public string Profile { get; init; } = "quick";
    public int Seed { get; init; } = 42;

    /// <summary>"auto" (a GPU when libtorch sees one, else the CPU), "cpu", "cuda" or "cuda:N". Seeded runs repeat bit for bit on the CPU.</summary>
    public string Device { get; init; } = TrainingDevice.Auto;
    public int Scale { get; init; } = 4;

    /// <summary>HR crop side; the LR input is HrSize / Scale.</summary>
    public int HrSize { get; init; } = 256;

    /// <summary>Prepared squares (random HR crops are taken from them).</summary>
    public int LoadSize { get; init; } = 288;
    public int TilesPerSide { get; init; } = 1;
    public int TrainImages { get; init; } = 8000;
    public int ValImages { get; init; } = 2000;
    public int TestImages { get; init; } = 20;
    public int BatchSize { get; init; } = 16;
    public int Blocks { get; init; } = 16;
    public int Channels { get; init; } = 64;
    public bool SigmoidOutput { get; init; } = true;

    /// <summary>
    /// SR = bicubic + the generator's output (needs <see cref="SigmoidOutput"/> false). Not the report's design:
    /// the quick profile uses it because in minutes on a CPU the report's SRResNet stays below bicubic.
    /// </summary>
    public bool BicubicSkip { get; init; }
    public int DiscriminatorChannels { get; init; } = 64;

    /// <summary>Epochs of pixel-MSE pretraining (SRResNet) before the GAN phase.</summary>
    public int PretrainEpochs { get; init; } = 10;
    public int GanEpochs { get; init; } = 20;
    public double Lr { get; init; } = 2e-4;

    /// <summary>
    /// Every this many epochs of a phase, both learning rates are multiplied by <see cref="LrGamma"/> (0: constant),
    /// as SRGAN steps from 1e-4 to 1e-5 halfway through its GAN phase. Each phase starts again from <see cref="Lr"/>.
    /// </summary>
    public int LrStepEpochs { get; init; }
    public double LrGamma { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;
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
    public int SampleCount { get; init; } = 4;

    /// <summary>A sample grid every this many epochs, and at the end of each phase.</summary>
    public int SampleEvery { get; init; } = 1;
    public int LogEvery { get; init; } = 10;

    public static SuperResolutionConfig Report => new() { Profile = "report" };

    /// <summary>
    /// Minutes on a 2-core CPU: 64-pixel HR tiles of the demo photos, a small SRResNet that learns the
    /// residual over bicubic (so it starts at the bicubic baseline), a few epochs.
    /// </summary>
    public static SuperResolutionConfig Quick => new()
    {
        Profile = "quick", HrSize = 64, LoadSize = 72, TilesPerSide = 4, TrainImages = 10_000, ValImages = 2, TestImages = 2,
        BatchSize = 16, Blocks = 4, Channels = 32, SigmoidOutput = false, BicubicSkip = true, DiscriminatorChannels = 16, PretrainEpochs = 40, GanEpochs = 10, Lr = 5e-4, SampleEvery = 5,
    };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToJson());
    }
}
