using Lib.Data;
using Lib.Evaluation;
using Lib.Losses;
using Lib.Models;

namespace Lib.Training;

/// <summary>One runner of the colorizer race: a short key (its folder), the name in tables, and its run's settings.</summary>
public sealed record RaceEntry(string Key, string Name, ColorizerConfig Config);

/// <summary>
/// The literature's colorizers trained for the same wall-clock minutes on the same photos (notebook 05):
/// the course report's U-Net, pix2pix, pix2pix with the perceptual γ-mix, ECCV16's classification head (the paper),
/// ECCV16's regression head with content + adversarial losses, and the coarse-to-fine colorizer. All at
/// <see cref="ImageSize"/>, batch 16, Adam (0.5, 0.999); each keeps its best (by <c>val_L1_colorful</c>) and its last checkpoint.
/// </summary>
public sealed record ColorizerRace
{
    public required string Name { get; init; }

    /// <summary>Training minutes of each colorizer.</summary>
    public required double MinutesPerModel { get; init; }

    public int ImageSize { get; init; } = 64;

    /// <summary>The photos every colorizer trains on (and the split's held-out test photos).</summary>
    public required DataSettings Data { get; init; }

    /// <summary>Test squares per shorter side at <see cref="LargeSize"/> (1: one centre square per held-out photo, so the intervals are over independent photos).</summary>
    public int TestTilesPerSide { get; init; } = 1;

    /// <summary>The side the held-out photos are also scored at, beside <see cref="ImageSize"/>.</summary>
    public int LargeSize { get; init; } = 256;

    public required IReadOnlyList<RaceEntry> Entries { get; init; }

    /// <summary>The keys of the entries trained a second time with <see cref="SecondSeed"/> (the leading ones), so a verdict can be checked in both seeds.</summary>
    public IReadOnlyList<string> Repeated { get; init; } = [];

    public int SecondSeed { get; init; } = 7;

    /// <summary>Minutes on a 2-core CPU inside the main job: the demo photos cut into tiles, 15 seconds per colorizer.</summary>
    public static ColorizerRace Quick =>
        Build("quick", 0.25, lr: 1e-3, new DataSettings { LoadSize = 72, TilesPerSide = 4, TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 });

    /// <summary>
    /// The race proper: a folder of photos (for development ../shared/data/imagenet-sample, 800 ImageNet photos,
    /// split by file, seeded), 15 minutes per colorizer on a 2-core CPU.
    /// </summary>
    public static ColorizerRace Race(double minutes = 15) =>
        Build("race", minutes, lr: 5e-4, new DataSettings { LoadSize = 72, TilesPerSide = 1, TrainImages = 10_000, ValImages = 50, TestImages = 100 });

    /// <summary>
    /// The recipe ablation (issue 23): the CLI's default cGAN against regression without a discriminator (L1, then the squared
    /// error), the generator's moving average, DeOldify's NoGAN schedule and ECCV16's classification, all with the report's
    /// U-Net where they regress, for the same minutes on the same photos (point it at ../shared/data/imagenet-sample and
    /// ../shared/data/coco: 916 training, 40 validation, 100 held-out photos, the shipped upscaler's split). Regression rows keep
    /// their best checkpoint by validation PSNR; their chroma gain and ECCV16's temperature are chosen afterwards on the
    /// validation photos (inference only, see <see cref="ColorizerConfig.ChromaGain"/>).
    /// </summary>
    public static ColorizerRace Recipe(double minutes = 15)
    {
        var data = new DataSettings { LoadSize = 72, TilesPerSide = 1, TrainImages = 100_000, ValImages = 40, TestImages = 100 };
        var gan = new ColorizerConfig
        {
            Profile = "recipe", ImageSize = 64, Data = data, Lr = 5e-4, GeneratorWidth = 32, DiscriminatorWidth = 32, Epochs = 100_000, MaxMinutes = minutes,
            BudgetMarks = [1, 2, 4, 8, 15], SampleCount = 6, SampleEvery = 100_000, LogEvery = 200,
        };
        var l1 = gan with { Discriminator = ColorizerDiscriminator.None, BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize };
        var mse = l1 with { Reconstruction = ReconstructionLoss.Mse };
        var ema = mse with { EmaDecay = 0.999 };
        // Budgeted training (Li et al. 2020): the rate decays linearly to zero over the budget's second half, on the clock.
        var budget = l1 with { LrPolicy = LrPolicy.LinearBudget, LrDecayFraction = 0.5 };
        // Random square crops of half to all of a 128-pixel square, resized to 64: whole photos at the test photos' scale down
        // to a 2× zoom, so 883 photos give far more distinct crops than 64 of 72 (torchvision's RandomResizedCrop, square).
        var scaled = budget with { Data = data with { LoadSize = 128, MinCropScale = 0.5 } };
        return new ColorizerRace
        {
            Name = "recipe", MinutesPerModel = minutes, Data = data, Repeated = ["mse", "l1", "l1-budget-scale"],
            Entries =
            [
                new("gan", "cGAN, L1 (the CLI's default)", gan),
                new("l1", "regression, L1", l1),
                new("mse", "regression, squared error", mse),
                new("mse-ema", "regression, squared error, EMA", ema),
                // NoGAN at 1 thread's ~3 steps/s: about 11 minutes of regression, 30 s of critic, the rest a GAN.
                new("nogan", "NoGAN: regression, critic, GAN (EMA)", ema with { Discriminator = ColorizerDiscriminator.PatchGan, PretrainSteps = 2000, CriticSteps = 100 }),
                // Random 64-pixel crops of 96-pixel squares: two thirds of a photo at 1.5× the test photos' scale, more varied than 64 of 72.
                new("mse-ema-crops", "regression, squared error, EMA, larger crops", ema with { Data = data with { LoadSize = 96 } }),
                new("eccv16-class", "ECCV16 classification", gan with { Generator = ColorizerGenerator.Eccv16, Eccv16Head = Eccv16Head.Classification, BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize }),
                new("l1-budget", "regression, L1, rate decayed to the budget's end", budget),
                new("l1-budget-scale", "regression, L1, decayed, resized crops", scaled),
                // Rare, saturated colors weigh more (Zhang et al.'s weights, λ = 0.5), so the L1 optimum moves off the gray-ish median.
                new("l1-rebalanced", "… class-rebalanced L1", scaled with { Reconstruction = ReconstructionLoss.RebalancedL1 }),
                // SAGAN's discriminator: spectral norm in every layer and the two time-scale rule (D at 4× G's rate).
                new("gan-sn", "cGAN, L1, D spectrally normalized at 4× G's rate", gan with { SpectralNorm = true, DiscriminatorLrScale = 4 }),
            ],
        };
    }

    /// <summary>γ of the perceptual mix for the two runs that use VGG19 content (Loss = γ·(cGAN + λ·L1) + (1 − γ)·L_VGG).</summary>
    public const double Gamma = 0.5;

    /// <summary>
    /// The race's target for <paramref name="colorizer"/> on <paramref name="set"/>: PSNR above the gray photo's — the paired
    /// 95 % interval of the difference on the same photos above zero — at a mean colorfulness within <paramref name="tolerance"/>
    /// of the truth's (20 %: the checkpoint selection's window, <see cref="ColorizerConfig.ColorfulnessTolerance"/>). The table
    /// needs the truth's row (<see cref="Evaluator.Truth"/>) and per-image scores.
    /// </summary>
    public static bool MeetsTarget(ScoreTable table, string set, string colorizer, string gray, double tolerance = 0.2) =>
        table.Compare(set, colorizer, gray, Score.Psnr).Low > 0 &&
        Math.Abs(table[set, colorizer][Score.Colorfulness] / table[set, Evaluator.TruthMethod][Score.Colorfulness] - 1) <= tolerance;

    /// <summary>
    /// The recipe's target (issue 23): PSNR above the gray photo's with the paired 95 % interval above zero, at a colorfulness of
    /// at least <paramref name="minColorfulness"/> of the truth's (0.6 after 15 minutes, 0.8 after 60).
    /// </summary>
    public static bool BeatsGray(ScoreTable table, string set, string colorizer, string gray, double minColorfulness) =>
        table.Compare(set, colorizer, gray, Score.Psnr).Low > 0 &&
        table[set, colorizer][Score.Colorfulness] / table[set, Evaluator.TruthMethod][Score.Colorfulness] >= minColorfulness;

    private static ColorizerRace Build(string name, double minutes, double lr, DataSettings data)
    {
        var common = new ColorizerConfig
        {
            Profile = name, ImageSize = 64, Data = data,
            Lr = lr, GeneratorWidth = 32, DiscriminatorWidth = 32, Epochs = 100_000, MaxMinutes = minutes, SampleCount = 6, SampleEvery = 100_000, LogEvery = 50,
        };
        var pix2pix = common with { Generator = ColorizerGenerator.Pix2Pix, Discriminator = ColorizerDiscriminator.PatchGan };
        return new ColorizerRace
        {
            Name = name, MinutesPerModel = minutes, Data = data,
            Entries =
            [
                new("report", "report's U-Net", common with { Generator = ColorizerGenerator.Report, Discriminator = ColorizerDiscriminator.Report }),
                new("pix2pix", "pix2pix", pix2pix),
                new("pix2pix-gamma", $"pix2pix + γ-mix (γ = {Gamma})", pix2pix with { PerceptualGamma = Gamma }),
                new("eccv16-class", "ECCV16 classification", common with { Generator = ColorizerGenerator.Eccv16, Eccv16Head = Eccv16Head.Classification }),
                // The regression source's loss: content + adversarial, no pixel L1 (λ = 0).
                new("eccv16-regression", "ECCV16 regression + content", common with
                {
                    Generator = ColorizerGenerator.Eccv16, Eccv16Head = Eccv16Head.Regression, Discriminator = ColorizerDiscriminator.PatchGan,
                    LambdaL1 = 0, PerceptualGamma = Gamma,
                }),
                new("coarse-to-fine", "coarse-to-fine (3 scales)", common with
                {
                    Generator = ColorizerGenerator.CoarseToFine, Scales = 3, CoarseToFineTraining = CoarseToFineTraining.EveryScale,
                    Discriminator = ColorizerDiscriminator.PatchGan, GanMode = GanMode.LSGAN,
                }),
            ],
        };
    }
}
