using System.Text.Json.Serialization;
using Lib.Losses;
using Lib.Models;
using Lib.Torch;

namespace Lib.Training;

public enum ColorizerGenerator { Report, Pix2Pix }

public enum ColorizerDiscriminator { Report, PatchGan }

/// <summary>
/// Every setting of a colorization run (G: L → ab, D judges (L, ab)); saved as config.json beside its
/// results and checkpoints. <see cref="Quick"/> runs on a 2-core CPU in minutes on the demo photos;
/// <see cref="Report"/> is the course report's setup (10,000 COCO images at 64×64, 30 epochs, batch 16), meant for a GPU.
/// </summary>
public sealed record ColorizationConfig : RunConfig
{
    public ColorizationConfig() => BestMetric = "val_L1";

    public int ImageSize { get; init; } = 64;

    /// <summary>Prepared squares are this big; training takes random ImageSize crops from them.</summary>
    public int LoadSize { get; init; } = 72;

    /// <summary>Tiles cut per shorter side of each photo (demo: a few large photos give many squares).</summary>
    public int TilesPerSide { get; init; } = 1;

    public int TrainImages { get; init; } = 8000;
    public int ValImages { get; init; } = 2000;
    public int TestImages { get; init; } = 20;
    public double LambdaL1 { get; init; } = 100;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public GanMode GanMode { get; init; } = GanMode.LSGAN;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerGenerator Generator { get; init; } = ColorizerGenerator.Report;

    public int GeneratorWidth { get; init; } = 64;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerDiscriminator Discriminator { get; init; } = ColorizerDiscriminator.Report;

    public int DiscriminatorWidth { get; init; } = 64;
    public int DiscriminatorLayers { get; init; } = 3;

    /// <summary>The report's settings (COCO, 10,000 images, 30 epochs); point it at a COCO folder.</summary>
    public static ColorizationConfig Report => new() { Profile = "report" };

    /// <summary>
    /// Minutes on a 2-core CPU: the demo photos cut into 64-pixel tiles (split by photo), networks of
    /// half the report's width, and a 5× larger learning rate so that a few hundred steps show learning.
    /// </summary>
    public static ColorizationConfig Quick => new()
    {
        Profile = "quick", TilesPerSide = 4, TrainImages = 10_000, ValImages = 2, TestImages = 2,
        Epochs = 20, Lr = 1e-3, GeneratorWidth = 32, DiscriminatorWidth = 32, SampleEvery = 5,
    };

    /// <summary>Sides must be multiples of this (pix2pix's U-Net halves the image log2(ImageSize) times; the report's three times).</summary>
    public int SizeMultiple => Generator == ColorizerGenerator.Pix2Pix ? ImageSize : 8;

    public override torch.nn.Module<Tensor, Tensor> CreateGenerator() => Generator switch
    {
        ColorizerGenerator.Report => new ReportUnet(1, 2, GeneratorWidth),
        _ => new UnetGenerator(1, 2, (int)Math.Round(Math.Log2(ImageSize)), GeneratorWidth),
    };

    /// <summary>D sees L and ab: 3 channels.</summary>
    public torch.nn.Module CreateDiscriminator() => Discriminator switch
    {
        ColorizerDiscriminator.Report => new ReportDiscriminator(3, DiscriminatorWidth),
        _ => new PatchDiscriminator(3, DiscriminatorWidth, DiscriminatorLayers),
    };

    public override void Validate()
    {
        base.Validate();
        Require(ImageSize >= 8, nameof(ImageSize), ImageSize, "must be at least 8");
        Require(Generator != ColorizerGenerator.Pix2Pix || (ImageSize & (ImageSize - 1)) == 0 && ImageSize >= 32, nameof(ImageSize), ImageSize,
            "must be a power of two of at least 32 for the pix2pix U-Net (64 or 256), or use Generator Report");
        Require(Generator != ColorizerGenerator.Report || ImageSize % 8 == 0, nameof(ImageSize), ImageSize, "must be a multiple of 8 for the report's U-Net");
        Require(LoadSize >= ImageSize, nameof(LoadSize), LoadSize, $"must be at least ImageSize ({ImageSize})");
        Require(TilesPerSide >= 1, nameof(TilesPerSide), TilesPerSide, "must be at least 1");
        Require(LambdaL1 >= 0, nameof(LambdaL1), LambdaL1, "must not be negative");
        Require(GeneratorWidth > 0 && DiscriminatorWidth > 0, nameof(GeneratorWidth), GeneratorWidth, "and DiscriminatorWidth must be positive");
    }
}
