using System.Text.Json.Serialization;
using Lib.Data;
using Lib.Losses;
using Lib.Models;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// The colorizer's generator: the course report's U-Net, pix2pix's, Zhang et al.'s ECCV16 net, the coarse-to-fine colorizer,
/// or the report's U-Net with ECCV16's classification head (<see cref="Models.UnetClassifier"/>).
/// </summary>
public enum ColorizerGenerator { Report, Pix2Pix, Eccv16, CoarseToFine, ReportClassifier }

/// <summary>Where the coarse-to-fine colorizer's reconstruction loss looks, and what each scale sees of the one before.</summary>
public enum CoarseToFineTraining
{
    /// <summary>End to end, L1 on the finest scale's prediction only.</summary>
    FinalScale,

    /// <summary>End to end, L1 at every scale (against the truth downscaled to it), summed.</summary>
    EveryScale,

    /// <summary>Per iteration: each scale sees the downscaled truth instead of the previous prediction (teacher forcing), L1 at every scale.</summary>
    TeacherForced,
}

/// <summary>The colorizer's discriminator: the report's, pix2pix's PatchGAN, or none (G learns from its reconstruction loss alone).</summary>
public enum ColorizerDiscriminator { Report, PatchGan, None }

/// <summary>
/// The regression heads' reconstruction loss on ab: pix2pix's L1, the squared error (its optimum is the conditional mean,
/// PSNR's own), or L1 with every pixel weighted by Zhang et al.'s class rebalancing of its true color (rare, saturated
/// colors weigh more, so the gray-ish median no longer pays off; the weights' mean over the training pixels is 1).
/// </summary>
public enum ReconstructionLoss { L1, Mse, RebalancedL1 }

/// <summary>
/// Every setting of a colorization run (G: L → ab, D judges (L, ab)); saved as config.json beside its
/// results and checkpoints. <see cref="Quick"/> runs on a 2-core CPU in minutes on the demo photos;
/// <see cref="Report"/> is the course report's setup (10,000 COCO images at 64×64, 30 epochs, batch 16), meant for a GPU.
/// </summary>
public sealed record ColorizerConfig : RunConfig
{
    public ColorizerConfig() => BestMetric = "val_L1_colorful";

    /// <summary>The side the colorizer works at (its training crops; Data.LoadSize squares are cut into them).</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>
    /// 1: the colorizer learns on ImageSize crops. k &gt; 1: on crops k times larger, downscaled by k (antialiased bicubic),
    /// as it will see photos a pipeline has shrunk — colorize-then-upscale's first stage (notebook 04).
    /// </summary>
    public int InputDownscale { get; init; } = 1;
    public double LambdaL1 { get; init; } = 100;

    /// <summary>The reconstruction term that λ weighs (L1: pix2pix's).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ReconstructionLoss Reconstruction { get; init; } = ReconstructionLoss.L1;

    /// <summary>
    /// DeOldify's NoGAN schedule: the first PretrainSteps steps train G on its reconstruction loss alone (no D), the next
    /// CriticSteps train D alone on G's outputs, then both train as usual. 0 and 0: a GAN from the first step.
    /// </summary>
    public int PretrainSteps { get; init; }

    public int CriticSteps { get; init; }

    /// <summary>D's learning rate as a multiple of G's (the two time-scale rule of Heusel et al. 2017 uses 2–4; 1: pix2pix).</summary>
    public double DiscriminatorLrScale { get; init; } = 1;

    /// <summary>
    /// Spectral normalization of every convolution of D (Miyato et al. 2018; with TTUR, SAGAN's D): D's layers cannot stretch
    /// their inputs, so it cannot win by growing its weights, the way the report's D wins within 50 steps here.
    /// </summary>
    public bool SpectralNorm { get; init; }

    /// <summary>
    /// The predicted ab is multiplied by this before it is shown or scored (1: as predicted). A regression colorizer predicts
    /// close to the mean color, which is duller than the truth; for the conditional mean m, gain g keeps a squared error
    /// below the gray photo's for any g &lt; 2 (the error grows by (g − 1)²·|m|², the gray photo's exceeds it by |m|²), so a
    /// gain chosen on validation photos trades some PSNR for colorfulness. Inference only: changing it needs no retraining.
    /// </summary>
    public double ChromaGain { get; init; } = 1;

    /// <summary>ECCV16 classification: the annealed mean's temperature T (the paper's 0.38; 1 is the mean, towards 0 the mode). Inference only.</summary>
    public double Temperature { get; init; } = AnnealedMean.Temperature;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public GanMode GanMode { get; init; } = GanMode.LSGAN;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerGenerator Generator { get; init; } = ColorizerGenerator.Report;

    public int GeneratorWidth { get; init; } = 64;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColorizerDiscriminator Discriminator { get; init; } = ColorizerDiscriminator.Report;

    public int DiscriminatorWidth { get; init; } = 64;
    public int DiscriminatorLayers { get; init; } = 3;

    /// <summary>ECCV16's head: bin logits with the rebalanced cross-entropy and no discriminator (the paper), or ab regression trained as a GAN.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Eccv16Head Eccv16Head { get; init; } = Eccv16Head.Classification;

    /// <summary>ECCV16's channel multiplier on the paper's 64…512 (1/4 trains on a CPU).</summary>
    public double Eccv16Width { get; init; } = 0.25;

    /// <summary>ECCV16 classification and the rebalanced L1: λ of the class rebalancing (the paper's 0.5; 1 = no rebalancing).</summary>
    public double RebalanceLambda { get; init; } = ClassRebalancing.Lambda;

    /// <summary>The coarse-to-fine colorizer's scales (ImageSize, /2, /4, …) and its training.</summary>
    public int Scales { get; init; } = 3;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public CoarseToFineTraining CoarseToFineTraining { get; init; } = CoarseToFineTraining.EveryScale;

    /// <summary>
    /// γ of the perceptual mix: G's loss is γ·(adversarial + λ·L1) + (1 − γ)·VGG19 content (L1 on the features of
    /// <see cref="ContentLayers"/>). 1 is pix2pix's loss unchanged.
    /// </summary>
    public double PerceptualGamma { get; init; } = 1;

    /// <summary>The VGG19 layers of the content term and their weights (names from Vgg19.Layers).</summary>
    public IReadOnlyList<ContentLayer> ContentLayers { get; init; } = [new("relu2_2", 1), new("relu3_4", 1), new("relu4_4", 1)];

    /// <summary>The torchvision-format VGG19 weights (null: the LIB_VGG19_WEIGHTS environment variable).</summary>
    public string? VggWeights { get; init; }

    /// <summary>
    /// Without VGG19 weights the content term becomes this weight × L1 on ab (the trainer says so when it starts): random
    /// features measure nothing, and pix2pix's λ keeps the term at the scale the reconstruction has in its loss.
    /// </summary>
    public double ContentFallbackL1 { get; init; } = 100;

    /// <summary>The checkpoint selection's tolerance: a validation colorfulness within this fraction of the truth's costs nothing (see ColorizerTrainer).</summary>
    public double ColorfulnessTolerance { get; init; } = 0.2;

    /// <summary>True when the run trains a discriminator (all but the classification heads).</summary>
    public bool Adversarial => Regresses && Discriminator != ColorizerDiscriminator.None;

    /// <summary>True when G regresses ab (every generator but the classification heads: ECCV16's, and the U-Net classifier).</summary>
    public bool Regresses => !(Generator == ColorizerGenerator.Eccv16 && Eccv16Head == Eccv16Head.Classification) && Generator != ColorizerGenerator.ReportClassifier;

    /// <summary>True when the run counts the training set's colors before it starts (ECCV16's classification, the rebalanced L1).</summary>
    public bool Rebalances => !Regresses || Reconstruction == ReconstructionLoss.RebalancedL1;

    /// <summary>True when the content term is used (γ below 1).</summary>
    public bool UsesContent => PerceptualGamma < 1;

    /// <summary>The report's settings (COCO, 10,000 images, 30 epochs); point it at a COCO folder.</summary>
    public static ColorizerConfig Report => new() { Profile = "report" };

    /// <summary>
    /// Minutes on a 2-core CPU: the demo photos cut into 64-pixel tiles (split by photo), networks of
    /// half the report's width, and a 5× larger learning rate so that a few hundred steps show learning.
    /// </summary>
    public static ColorizerConfig Quick => new()
    {
        Profile = "quick", Data = new DataSettings { TilesPerSide = 2, TrainImages = 10_000, ValImages = 2, TestImages = 2, ValFraction = 0.1, TestFraction = 0.25 },
        Epochs = 14, Lr = 1e-3, GeneratorWidth = 32, DiscriminatorWidth = 32, SampleEvery = 5,
    };

    /// <summary>The gain and the temperature: a trained colorizer can be shown with others (and a resumed run too).</summary>
    public override IReadOnlyCollection<string> InferenceSettings => [nameof(ChromaGain), nameof(Temperature)];

    /// <summary>
    /// The model in models/colorizer.safetensors: the recipe ablation's leader (<see cref="ColorizerRace.Recipe"/>: the report's
    /// U-Net regressing ab with L1, no discriminator, the rate decayed linearly to zero over the budget's second half, random
    /// resized crops of 128-pixel squares) given an hour instead of 15 minutes, on the photos of ../shared/data (ImageNet and
    /// COCO samples) split as the shipped upscaler's. Its chroma gain is chosen on the validation photos when it is exported.
    /// </summary>
    public static ColorizerConfig Shipped => new()
    {
        Profile = "shipped", ImageSize = 64, Data = new DataSettings { LoadSize = 128, MinCropScale = 0.5, TilesPerSide = 1, TrainImages = 100_000, ValImages = 40, TestImages = 100 },
        Lr = 5e-4, GeneratorWidth = 32, DiscriminatorWidth = 32, Discriminator = ColorizerDiscriminator.None, Reconstruction = ReconstructionLoss.L1,
        BestMetric = "val_PSNR", BestGoal = MetricGoal.Maximize, LrPolicy = LrPolicy.LinearBudget, LrDecayFraction = 0.5, Epochs = 100_000, MaxMinutes = 60,
        BudgetMarks = [1, 2, 4, 8, 15, 30, 60], SampleCount = 6, SampleEvery = 100_000, LogEvery = 500,
    };

    /// <summary>The depth of the coarse-to-fine colorizer's FcnColorizer at every scale.</summary>
    public const int CoarseToFineDepth = 2;

    /// <summary>
    /// Sides must be multiples of this: pix2pix's U-Net halves the image log2(ImageSize) times, the report's and ECCV16
    /// three times, the coarse-to-fine colorizer's coarsest scale is 2^(Scales − 1) smaller and its net halves twice.
    /// </summary>
    public int SizeMultiple => Generator switch
    {
        ColorizerGenerator.Pix2Pix => ImageSize,
        ColorizerGenerator.CoarseToFine => (1 << (Scales - 1)) << CoarseToFineDepth,
        _ => 8,
    };

    public override torch.nn.Module<Tensor, Tensor> CreateGenerator() => Generator switch
    {
        ColorizerGenerator.Report => new ReportUnet(1, 2, GeneratorWidth),
        ColorizerGenerator.Eccv16 => new Eccv16(Eccv16Head, Eccv16Width, temperature: Temperature),
        ColorizerGenerator.ReportClassifier => new UnetClassifier(GeneratorWidth, temperature: Temperature),
        ColorizerGenerator.CoarseToFine => Models.CoarseToFine.WithFcn(Scales, shared_weights: true, GeneratorWidth, CoarseToFineDepth),
        _ => new UnetGenerator(1, 2, (int)Math.Round(Math.Log2(ImageSize)), GeneratorWidth),
    };

    /// <summary>D sees L and ab: 3 channels.</summary>
    public torch.nn.Module CreateDiscriminator()
    {
        torch.nn.Module d = Discriminator switch
        {
            ColorizerDiscriminator.Report => new ReportDiscriminator(3, DiscriminatorWidth),
            _ => new PatchDiscriminator(3, DiscriminatorWidth, DiscriminatorLayers),
        };
        if (SpectralNorm) torch.nn.utils.spectral_norm_all(d);
        return d;
    }

    public override void Validate()
    {
        base.Validate();
        Require(ImageSize >= 8, nameof(ImageSize), ImageSize, "must be at least 8");
        Require(Generator != ColorizerGenerator.Pix2Pix || (ImageSize & (ImageSize - 1)) == 0 && ImageSize >= 32, nameof(ImageSize), ImageSize,
            "must be a power of two of at least 32 for the pix2pix U-Net (64 or 256), or use Generator Report");
        Require(Generator is not (ColorizerGenerator.Report or ColorizerGenerator.ReportClassifier) || ImageSize % 8 == 0, nameof(ImageSize), ImageSize, "must be a multiple of 8 for the report's U-Net");
        Require(InputDownscale >= 1, nameof(InputDownscale), InputDownscale, "must be at least 1 (1: no downscaling)");
        RequireData(ImageSize * InputDownscale);
        Require(LambdaL1 >= 0, nameof(LambdaL1), LambdaL1, "must not be negative");
        Require(GeneratorWidth > 0 && DiscriminatorWidth > 0, nameof(GeneratorWidth), GeneratorWidth, "and DiscriminatorWidth must be positive");
        Require(Eccv16Width > 0, nameof(Eccv16Width), Eccv16Width, "must be positive (1 = the paper's 64…512 channels)");
        Require(RebalanceLambda is >= 0 and <= 1, nameof(RebalanceLambda), RebalanceLambda, "must be in [0, 1] (the paper's 0.5)");
        Require(Scales is >= 1 and <= 6, nameof(Scales), Scales, "must be 1 to 6");
        Require(Generator != ColorizerGenerator.CoarseToFine || ImageSize % SizeMultiple == 0, nameof(ImageSize), ImageSize,
            $"must be a multiple of {SizeMultiple} for the coarse-to-fine colorizer with {Scales} scales (or use fewer Scales)");
        Require(PerceptualGamma is >= 0 and <= 1, nameof(PerceptualGamma), PerceptualGamma, "must be in [0, 1] (1 = pix2pix's loss without VGG)");
        Require(!UsesContent || ContentLayers.Count > 0 && ContentLayers.All(c => Vgg19.Layers.ContainsKey(c.Layer) && c.Weight >= 0), nameof(ContentLayers),
            string.Join(", ", ContentLayers.Select(c => $"{c.Layer}:{c.Weight}")), $"must name VGG19 layers ({string.Join(", ", Vgg19.Layers.Keys)}) with weights ≥ 0");
        Require(ContentFallbackL1 >= 0, nameof(ContentFallbackL1), ContentFallbackL1, "must not be negative");
        Require(PretrainSteps >= 0 && CriticSteps >= 0, nameof(PretrainSteps), PretrainSteps, "and CriticSteps must not be negative");
        Require(PretrainSteps + CriticSteps == 0 || Adversarial, nameof(PretrainSteps), PretrainSteps,
            "needs a discriminator (the NoGAN schedule ends in a GAN phase); set Discriminator to Report or PatchGan, or both step counts to 0");
        Require(!SpectralNorm || Adversarial, nameof(SpectralNorm), SpectralNorm, "normalizes the discriminator, and this run has none; set Discriminator to Report or PatchGan");
        Require(DiscriminatorLrScale > 0, nameof(DiscriminatorLrScale), DiscriminatorLrScale, "must be positive (1: D learns at G's rate)");
        Require(ChromaGain is >= 0 and <= 4, nameof(ChromaGain), ChromaGain, "must be in [0, 4] (1: the ab as predicted)");
        Require(Temperature is > 0 and <= 1, nameof(Temperature), Temperature, "must be in (0, 1] (the paper's 0.38)");
        Require(ColorfulnessTolerance >= 0, nameof(ColorfulnessTolerance), ColorfulnessTolerance, "must not be negative (0.2: within 20 % of the truth's)");
    }
}

/// <summary>One VGG19 layer of a content loss and its weight.</summary>
public sealed record ContentLayer(string Layer, double Weight);
