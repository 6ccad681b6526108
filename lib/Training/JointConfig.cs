using System.Text.Json.Serialization;
using Lib.Data;
using Lib.Losses;
using Lib.Models;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// Every setting of a joint colorize-and-upscale run: one generator from a gray image at ImageSize to
/// Lab at ImageSize × Scale (<see cref="JointGenerator"/>), a PatchGAN that sees the bicubic-upscaled gray
/// input beside the Lab output, adversarial + λ·L1 on Lab, plus a VGG19 content term when weights exist.
/// </summary>
public sealed record JointConfig : RunConfig
{
    public JointConfig()
    {
        BestMetric = "val_L1";
        Data = new DataSettings { LoadSize = 288 };
    }

    /// <summary>Side of the gray input; the output is ImageSize × Scale.</summary>
    public int ImageSize { get; init; } = 64;
    public int Scale { get; init; } = 4;

    public int GeneratorWidth { get; init; } = 64;

    /// <summary>Feature channels of the sub-pixel upsampling blocks.</summary>
    public int UpsampleChannels { get; init; } = 64;
    public int DiscriminatorWidth { get; init; } = 64;
    public int DiscriminatorLayers { get; init; } = 3;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public GanMode GanMode { get; init; } = GanMode.LSGAN;

    /// <summary>Weight of L1 on Lab (network scale), pix2pix's λ.</summary>
    public double LambdaL1 { get; init; } = 100;

    /// <summary>Weight of the VGG19 content loss on the RGB output (used only when VGG19 weights are found).</summary>
    public double ContentWeight { get; init; } = 1;
    public string VggLayer { get; init; } = "relu5_4";

    /// <summary>torchvision-format VGG19 .safetensors (null: the LIB_VGG19_WEIGHTS variable; absent: no content term).</summary>
    public string? VggWeights { get; init; }

    public int HrSize => ImageSize * Scale;

    /// <summary>pix2pix/the report's GAN settings at the orderings' 64 → 256 task, meant for a GPU and COCO.</summary>
    public static JointConfig Report => new() { Profile = "report", Epochs = 30 };

    /// <summary>Minutes on a 2-core CPU: half-width networks, a 5× learning rate, a wall-clock budget decides the length.</summary>
    public static JointConfig Quick => new()
    {
        Profile = "quick", Data = new DataSettings { LoadSize = 288, TilesPerSide = 2, TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 },
        GeneratorWidth = 32, UpsampleChannels = 32, DiscriminatorWidth = 32, Epochs = 1000, Lr = 1e-3, SampleCount = 4,
        SampleEvery = 1000, LogEvery = 20,
    };

    public override torch.nn.Module<Tensor, Tensor> CreateGenerator() =>
        new JointGenerator((int)Math.Round(Math.Log2(ImageSize)), GeneratorWidth, UpsampleChannels, Scale);

    /// <summary>D sees the bicubic-upscaled gray input and the Lab image: 4 channels.</summary>
    public PatchDiscriminator CreateDiscriminator() => new(4, DiscriminatorWidth, DiscriminatorLayers);

    public override void Validate()
    {
        base.Validate();
        Require((ImageSize & (ImageSize - 1)) == 0 && ImageSize >= 32, nameof(ImageSize), ImageSize, "must be a power of two of at least 32 (the pix2pix U-Net halves it down to 1)");
        Require(Scale is 2 or 4 or 8, nameof(Scale), Scale, "must be 2, 4 or 8");
        RequireData(HrSize);
        Require(LambdaL1 >= 0 && ContentWeight >= 0, nameof(LambdaL1), LambdaL1, "and ContentWeight must not be negative");
    }
}
