using Lib.Losses;
using Lib.Training;

namespace Lib.Pipelines;

/// <summary>
/// The runs behind the three ways to turn a small gray photo into a large color one (notebook 04): the
/// task is gray at <see cref="LowSize"/> in, color at <see cref="HighSize"/> out.
/// <list type="bullet">
/// <item>a. colorize then upscale: <see cref="ColorizerLow"/> (L → ab at the small size), then <see cref="UpscalerColor"/> (RGB ×Scale);</item>
/// <item>b. upscale then colorize: <see cref="UpscalerGray"/> (L ×Scale), then <see cref="ColorizerHigh"/> (L → ab at the large size);</item>
/// <item>c. joint: <see cref="Joint"/>, one GAN for both.</item>
/// </list>
/// Every pipeline gets the same wall-clock budget, split evenly between its two stages, and trains on the same photos.
/// The colorizers are pix2pix's U-Net and PatchGAN (LSGAN + 100·L1); the upscalers are SRResNets learning the
/// residual over bicubic, trained on HighSize-scale patches (as SRGAN trains on 96-px crops); the joint model is a
/// pix2pix U-Net at the small size continued by sub-pixel upsampling.
/// </summary>
public sealed record OrderingsProfile
{
    public required string Name { get; init; }

    /// <summary>Training minutes of each pipeline (the sum of its stages' budgets).</summary>
    public required double MinutesPerPipeline { get; init; }

    public int LowSize { get; init; } = 64;
    public int Scale { get; init; } = 4;
    public int HighSize => LowSize * Scale;

    /// <summary>Prepared training squares (random HighSize crops are taken from them) and how many per photo side.</summary>
    public int LoadSize { get; init; } = 272;
    public int TilesPerSide { get; init; } = 2;

    public int TrainImages { get; init; } = 10_000;
    public int ValImages { get; init; } = 2;
    public int TestImages { get; init; } = 2;

    /// <summary>The side of the patches the upscalers train on (HR; the LR input is PatchSize / Scale).</summary>
    public int PatchSize { get; init; } = 64;

    public required ColorizationConfig ColorizerLow { get; init; }
    public required SuperResolutionConfig UpscalerColor { get; init; }
    public required SuperResolutionConfig UpscalerGray { get; init; }
    public required ColorizationConfig ColorizerHigh { get; init; }
    public required JointConfig Joint { get; init; }

    /// <summary>Minutes on a 2-core CPU: half-width networks, a few minutes per pipeline, the demo photos.</summary>
    public static OrderingsProfile Quick => Build(new Data("quick", 1.5, 272, 2, 10_000, 2, 2, 64), width: 32, lr: 5e-4, blocks: 4, srChannels: 32);

    /// <summary>The report's widths (64), an hour per pipeline: for a GPU and COCO.</summary>
    public static OrderingsProfile Report => Build(new Data("report", 60, 286, 1, 8000, 500, 500, 96), width: 64, lr: 2e-4, blocks: 16, srChannels: 64);

    private sealed record Data(string Name, double Minutes, int LoadSize, int TilesPerSide, int Train, int Val, int Test, int Patch);

    private static OrderingsProfile Build(Data d, int width, double lr, int blocks, int srChannels)
    {
        var (name, minutes) = (d.Name, d.Minutes);
        var half = minutes / 2;
        // Lengths are set by the budget: the epoch counts are only a ceiling.
        var colorizer = new ColorizationConfig
        {
            Profile = name, LoadSize = d.LoadSize, TilesPerSide = d.TilesPerSide, TrainImages = d.Train, ValImages = d.Val, TestImages = d.Test, Generator = ColorizerGenerator.Pix2Pix, Discriminator = ColorizerDiscriminator.PatchGan, GanMode = GanMode.LSGAN,
            GeneratorWidth = width, DiscriminatorWidth = width, Lr = lr, Epochs = 10_000, MaxMinutes = half, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25,
        };
        var upscaler = new SuperResolutionConfig
        {
            Profile = name, LoadSize = d.LoadSize, TilesPerSide = d.TilesPerSide, TrainImages = d.Train, ValImages = d.Val, TestImages = d.Test, HrSize = d.Patch, Blocks = blocks, Channels = srChannels, SigmoidOutput = false, BicubicSkip = true, Lr = lr,
            Epochs = 10_000, MaxMinutes = half, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25,
        };
        return new OrderingsProfile
        {
            Name = name, MinutesPerPipeline = minutes, LoadSize = d.LoadSize, TilesPerSide = d.TilesPerSide, TrainImages = d.Train,
            ValImages = d.Val, TestImages = d.Test, PatchSize = d.Patch,
            ColorizerLow = colorizer with { ImageSize = 64 },
            ColorizerHigh = colorizer with { ImageSize = 256 },
            UpscalerColor = upscaler,
            UpscalerGray = upscaler with { ImageChannels = 1 },
            Joint = new JointConfig
            {
                Profile = name, LoadSize = d.LoadSize, TilesPerSide = d.TilesPerSide, TrainImages = d.Train, ValImages = d.Val, TestImages = d.Test,
                ImageSize = 64, Scale = 4, GeneratorWidth = width, UpsampleChannels = width, DiscriminatorWidth = width, Lr = lr,
                Epochs = 10_000, MaxMinutes = minutes, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25,
            },
        };
    }
}
