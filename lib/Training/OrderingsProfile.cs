using Lib.Data;
using Lib.Losses;

namespace Lib.Training;

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

    /// <summary>The photos every run of the profile trains on (random HighSize crops are taken from the squares).</summary>
    public required DataSettings Data { get; init; }

    /// <summary>The side of the patches the upscalers train on (HR; the LR input is PatchSize / Scale).</summary>
    public int PatchSize { get; init; } = 64;

    public required ColorizerConfig ColorizerLow { get; init; }
    public required UpscalerConfig UpscalerColor { get; init; }
    public required UpscalerConfig UpscalerGray { get; init; }
    public required ColorizerConfig ColorizerHigh { get; init; }
    public required JointConfig Joint { get; init; }

    /// <summary>Minutes on a 2-core CPU: half-width networks, a few minutes per pipeline, the demo photos.</summary>
    public static OrderingsProfile Quick => Build("quick", 1.5, new DataSettings { LoadSize = 272, TilesPerSide = 2, TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 },
        patch: 64, width: 32, lr: 5e-4, blocks: 4, srChannels: 32);

    /// <summary>
    /// Notebook 04's research profile: the quick profile's networks for <paramref name="minutes"/> per pipeline on a folder of
    /// photos split by file (40 validation and 115 held-out photos, seed 42: with ../shared/data's ImageNet and COCO samples the
    /// shipped models never trained on them, and about 100 are large enough for the 256-pixel test), each run keeping checkpoints at budget marks — a pipeline's stages at
    /// half of each pipeline mark (1, 2, 4, 8 minutes and the whole budget), so every pipeline can be scored at each.
    /// </summary>
    public static OrderingsProfile Research(double minutes = 10) => Build("research", minutes,
        new DataSettings { LoadSize = 272, TilesPerSide = 1, TrainImages = 100_000, ValImages = 40, TestImages = 115 },
        patch: 64, width: 32, lr: 5e-4, blocks: 4, srChannels: 32, marks: [.. new[] { 1.0, 2, 4, 8 }.Where(m => m < minutes), minutes]);

    /// <summary>The report's widths (64), an hour per pipeline: for a GPU and COCO.</summary>
    public static OrderingsProfile Report => Build("report", 60, new DataSettings { LoadSize = 286, TilesPerSide = 1, TrainImages = 8000, ValImages = 500, TestImages = 500 },
        patch: 96, width: 64, lr: 2e-4, blocks: 16, srChannels: 64);

    /// <summary>The five runs in the order the notebook trains them, each with its folder name (<see cref="Orderings"/> says which pipeline uses which).</summary>
    public IReadOnlyList<(string run, RunConfig config)> Runs =>
    [
        (Orderings.ColorizerLowRun, ColorizerLow), (Orderings.UpscalerColorRun, UpscalerColor),
        (Orderings.UpscalerGrayRun, UpscalerGray), (Orderings.ColorizerHighRun, ColorizerHigh), (Orderings.JointRun, Joint),
    ];

    /// <summary>The same profile with every run seeded by <paramref name="seed"/> (initial weights, crops, order; the photos' split is the data's own).</summary>
    public OrderingsProfile WithSeed(int seed) => this with
    {
        ColorizerLow = ColorizerLow with { Seed = seed }, UpscalerColor = UpscalerColor with { Seed = seed }, UpscalerGray = UpscalerGray with { Seed = seed },
        ColorizerHigh = ColorizerHigh with { Seed = seed }, Joint = Joint with { Seed = seed },
    };

    /// <summary>The runs <paramref name="ordering"/> chains, in order, with their configs.</summary>
    public IEnumerable<(string run, RunConfig config)> RunsOf(Ordering ordering) => ordering.Runs.Select(name => Runs.First(r => r.run == name));

    /// <summary>The budget marks of each pipeline, in its minutes (empty: none kept); see <see cref="RunConfig.BudgetMarks"/>.</summary>
    public IReadOnlyList<double> PipelineMarks { get; init; } = [];

    private static OrderingsProfile Build(string name, double minutes, DataSettings data, int patch, int width, double lr, int blocks, int srChannels,
        IReadOnlyList<double>? marks = null)
    {
        var half = minutes / 2;
        marks ??= [];
        // A two-stage pipeline at mark m is its stages at m / 2 each.
        IReadOnlyList<double> halves = [.. marks.Select(m => m / 2)];
        // Lengths are set by the budget: the epoch counts are only a ceiling.
        var colorizer = new ColorizerConfig
        {
            Profile = name, Data = data, Generator = ColorizerGenerator.Pix2Pix, Discriminator = ColorizerDiscriminator.PatchGan, GanMode = GanMode.LSGAN,
            GeneratorWidth = width, DiscriminatorWidth = width, Lr = lr, Epochs = 10_000, MaxMinutes = half, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25,
            BudgetMarks = halves,
        };
        var upscaler = new UpscalerConfig
        {
            Profile = name, Data = data, HrSize = patch, Blocks = blocks, Channels = srChannels, SigmoidOutput = false, BicubicSkip = true, Lr = lr,
            Epochs = 10_000, MaxMinutes = half, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25, BudgetMarks = halves,
        };
        const int low = 64, scale = 4;
        return new OrderingsProfile
        {
            Name = name, MinutesPerPipeline = minutes, Data = data, PatchSize = patch, LowSize = low, Scale = scale, PipelineMarks = marks,
            // The colorizer of a sees photos shrunk ×4, as the pipeline gives them: it trains on 256-px crops downscaled to 64.
            ColorizerLow = colorizer with { ImageSize = low, InputDownscale = scale },
            ColorizerHigh = colorizer with { ImageSize = low * scale },
            UpscalerColor = upscaler,
            UpscalerGray = upscaler with { ImageChannels = 1 },
            Joint = new JointConfig
            {
                Profile = name, Data = data, ImageSize = low, Scale = scale, GeneratorWidth = width, UpsampleChannels = width, DiscriminatorWidth = width, Lr = lr,
                Epochs = 10_000, MaxMinutes = minutes, SampleCount = 4, SampleEvery = 10_000, LogEvery = 25, BudgetMarks = marks,
            },
        };
    }
}
