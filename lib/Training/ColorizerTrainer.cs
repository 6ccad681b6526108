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
/// A colorizer as pix2pix and the course report train it: G maps L to ab; D judges (L, ab) pairs. Each step is a
/// D step (real vs detached fake), then a G step with D frozen: γ·(adversarial + λ·L1(ab)) + (1 − γ)·VGG19 content
/// (γ = 1: pix2pix's loss). The literature's colorizers train here too: ECCV16's classification head with the
/// rebalanced cross-entropy and no D (Zhang et al. 2016), its regression head as a GAN with the content loss, and
/// the coarse-to-fine colorizer with L1 at the last or at every scale, end to end or teacher-forced.
/// Validation: L1 on ab, PSNR and SSIM on RGB, colorfulness against the truth's, and the score that picks the best
/// checkpoint (<c>val_L1_colorful</c>, see <see cref="Validate"/>).
/// </summary>
public sealed class ColorizerTrainer : GanTrainer<ColorizerConfig>
{
    private readonly GanLoss? _gan;
    private readonly PerceptualLoss? _content;
    private RebalancedCrossEntropy? _crossEntropy;

    /// <summary>Why the VGG19 content term runs as <see cref="ColorizerConfig.ContentFallbackL1"/> × L1 instead (null when VGG19 is used or not asked for).</summary>
    public override string? ContentFallbackReason { get; }

    /// <summary>ECCV16 classification: the class weights counted on the training set when <see cref="GanTrainer{T}.Fit"/> starts.</summary>
    public ClassRebalancing? Rebalancing { get; private set; }

    public ColorizerTrainer(ColorizerConfig config, string outputDir) : base(config, outputDir)
    {
        if (Discriminator is not null) _gan = new GanLoss(config.GanMode, D.OutputsProbability);
        if (!config.UsesContent) return;
        try { _content = new PerceptualLoss(config.VggWeights, config.ContentLayers.Select(c => (c.Layer, c.Weight)).ToList(), FeatureDistance.L1).to(Device); }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException) { ContentFallbackReason = e.Message; }
    }

    public override IReadOnlyList<string> ValidationMetrics => ["val_L1", "val_PSNR", "val_SSIM", "val_colorfulness_ratio", "val_L1_colorful"];

    private IConditionalDiscriminator D => (IConditionalDiscriminator)Discriminator!;

    protected override nn.Module? CreateDiscriminator() => Config.Adversarial ? Config.CreateDiscriminator() : null;

    protected override void OnFitStart(BatchLoader train, BatchLoader val, TextWriter log)
    {
        if (ContentFallbackReason is not null)
            log.WriteLine($"content loss: {Config.ContentFallbackL1} × L1 on ab instead of VGG19, because {ContentFallbackReason}");
        if (!Config.Rebalances || Rebalancing is not null) return;
        // The paper's prior is the training set's: one pass of the loader, which is seeded, so a resume counts the same.
        Rebalancing = ClassRebalancing.from_loader(train, b => b[1], AbGamut.Srgb, Config.RebalanceLambda);
        if (!Config.Regresses) _crossEntropy = new RebalancedCrossEntropy(AbGamut.Srgb, Rebalancing);
        var w = Rebalancing.weights;
        log.WriteLine($"class rebalancing (λ = {Config.RebalanceLambda}): {Rebalancing.counts.Count(c => c > 0)} of {w.Count} bins seen, weights {w.Min():0.00}–{w.Max():0.00}");
    }

    protected override double DiscriminatorLr => Config.Lr * Config.DiscriminatorLrScale;

    /// <summary>Where this step falls in the NoGAN schedule (a run without one is all GAN steps, or all G steps without a D).</summary>
    private (bool trainD, bool trainG, bool adversarialG) Phase() =>
        !Config.Adversarial ? (false, true, false)
        : StepsDone < Config.PretrainSteps ? (false, true, false)
        : StepsDone < Config.PretrainSteps + Config.CriticSteps ? (true, false, false)
        : (true, true, true);

    protected override (string name, double value)[] Step(Tensor l, Tensor ab)
    {
        if (!Config.Regresses)
        {
            var ce = _crossEntropy!.call(Generator.call(l), ab);
            Update(OptimizerG, ce);
            return [("loss_CE", ce.item<float>())];
        }
        var (trainD, trainG, adversarialG) = Phase();
        var scales = Predictions(l, ab);
        var fake = scales[^1];
        Tensor? lossD = null;
        if (trainD)
        {
            lossD = _gan!.discriminator(D.call(l, ab), D.call(l, fake.detach()));
            if (!Update(OptimizerD!, lossD) || !trainG) return Losses(lossD, null, null, null);
        }
        Tensor? lossGan = null, content = null;
        using (Config.Adversarial ? Frozen(Discriminator!) : null)
        {
            var reconstruction = Reconstruction(scales, ab);
            var loss = reconstruction * Config.LambdaL1;
            if (adversarialG)
            {
                lossGan = _gan!.call(D.call(l, fake), true);
                loss = loss + lossGan;
            }
            if (Config.UsesContent)
            {
                content = _content is null ? F.l1_loss(fake, ab) * Config.ContentFallbackL1 : _content.call(Lab.from_network(l, fake), Lab.from_network(l, ab));
                loss = loss * Config.PerceptualGamma + content * (1 - Config.PerceptualGamma);
            }
            Update(OptimizerG, loss);
            return Losses(lossD, lossGan, reconstruction, content);
        }
    }

    /// <summary>What G predicts for the loss: every scale of the coarse-to-fine colorizer (finest last), else the one ab.</summary>
    private IReadOnlyList<Tensor> Predictions(Tensor l, Tensor ab) => Generator is CoarseToFine c2f
        ? c2f.forward_scales(l, Config.CoarseToFineTraining == CoarseToFineTraining.TeacherForced ? ab : null)
        : [IColorizer.Ab(Generator, l)];

    /// <summary>The reconstruction loss (L1, squared error or rebalanced L1) on the finest ab, or summed over the scales against the truth downscaled to each.</summary>
    private Tensor Reconstruction(IReadOnlyList<Tensor> scales, Tensor ab)
    {
        Func<Tensor, Tensor, Tensor> distance = Config.Reconstruction switch
        {
            ReconstructionLoss.Mse => (a, b) => F.mse_loss(a, b),
            ReconstructionLoss.RebalancedL1 => RebalancedL1,
            _ => (a, b) => F.l1_loss(a, b),
        };
        if (scales.Count == 1 || Config.CoarseToFineTraining == CoarseToFineTraining.FinalScale) return distance(scales[^1], ab);
        var total = distance(scales[^1], ab);
        for (var k = 0; k < scales.Count - 1; k++) total = total + distance(scales[k], CoarseToFine.downscale(ab, 1 << (scales.Count - 1 - k)));
        return total;
    }

    /// <summary>L1 on ab with each pixel weighted by its true color's rebalancing weight (mean over pixels and both channels, as F.l1_loss).</summary>
    private Tensor RebalancedL1(Tensor predicted, Tensor ab)
    {
        using var scope = NewDisposeScope();
        var w = Rebalancing!.pixel_weights(ab).unsqueeze(1);
        return (predicted - ab).abs().mul(w).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The step's losses under names that stay the same for the run (NaN where this step had no such term, e.g. during NoGAN's phases).</summary>
    private (string, double)[] Losses(Tensor? d, Tensor? gan, Tensor? reconstruction, Tensor? content)
    {
        var recon = ("loss_G_" + Config.Reconstruction switch { ReconstructionLoss.Mse => "MSE", ReconstructionLoss.RebalancedL1 => "rebalanced_L1", _ => "L1" },
            reconstruction?.item<float>() ?? double.NaN);
        (string, double)[] losses = Config.Adversarial ? [("loss_D", d?.item<float>() ?? double.NaN), ("loss_G_gan", gan?.item<float>() ?? double.NaN), recon] : [recon];
        return Config.UsesContent ? [.. losses, ("content", content?.item<float>() ?? double.NaN)] : losses;
    }

    /// <summary>
    /// L1 on ab (network scale); PSNR and SSIM on RGB (PSNR capped at 100 dB); the ratio of the predictions' mean
    /// colorfulness to the truth's; and <c>val_L1_colorful</c> = val_L1 + max(0, |ratio − 1| − tolerance), the default
    /// selection. L1 alone rewards gray: ab = 0 is the L1-optimal guess under uncertainty, and a run kept by it
    /// drifted to 32 % of the truth's colorfulness on COCO. The penalty is zero within the tolerance (20 %: the
    /// workbook's target) and grows by 0.01 per percent outside it — as much as the L1 differences between a run's
    /// checkpoints (about 0.01), so it acts as a constraint first and L1 decides within it.
    /// </summary>
    public override IReadOnlyDictionary<string, double> Validate(BatchLoader val)
    {
        var scores = MeanScores(val, (l, ab) =>
        {
            var predicted = Predict(l);
            var (rgb, truth) = (Lab.from_network(l, predicted), Lab.from_network(l, ab));
            return [("val_L1", (predicted - ab).abs().mean([1, 2, 3])), ("val_PSNR", Psnr.psnr(rgb, truth).clamp(max: 100)), ("val_SSIM", Ssim.ssim(rgb, truth)),
                    ("colorfulness", Colorfulness.colorfulness(rgb)), ("colorfulness_truth", Colorfulness.colorfulness(truth))];
        });
        var ratio = scores["colorfulness"] / Math.Max(scores["colorfulness_truth"], 1e-6);
        return new Dictionary<string, double>
        {
            ["val_L1"] = scores["val_L1"], ["val_PSNR"] = scores["val_PSNR"], ["val_SSIM"] = scores["val_SSIM"], ["val_colorfulness_ratio"] = ratio,
            ["val_L1_colorful"] = SelectionScore(scores["val_L1"], ratio, Config.ColorfulnessTolerance),
        };
    }

    /// <summary>val_L1 + max(0, |colorfulness ratio − 1| − tolerance): the checkpoint selection that does not reward gray.</summary>
    public static double SelectionScore(double l1, double colorfulnessRatio, double tolerance) => l1 + Math.Max(0, Math.Abs(colorfulnessRatio - 1) - tolerance);

    /// <summary>gray | prediction | truth.</summary>
    public static ImageGrid SampleGrid(Tensor l, Tensor ab, Tensor predicted) => new ImageGrid()
        .Column("gray", Lab.from_network(l, zeros_like(ab)))
        .Column("prediction", Lab.from_network(l, predicted))
        .Column("truth", Lab.from_network(l, ab));

    /// <summary>gray | prediction | truth for L and the true ab.</summary>
    public override ImageGrid SampleGrid(Tensor l, Tensor ab) => SampleGrid(l, ab, Predict(l));

    protected override void Dispose(bool disposing)
    {
        if (disposing) _content?.Dispose();
        base.Dispose(disposing);
    }
}
