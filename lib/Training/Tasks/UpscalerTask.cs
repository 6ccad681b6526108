using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// The upscaler: SRResNet, and SRGAN's GAN run from it (<see cref="UpscalerConfig"/>): an image (sRGB, or a gray
/// one's L / 100) in, the same kind ×Scale out; scored on Y against bicubic.
/// </summary>
public sealed class UpscalerTask : TrainingTask<UpscalerConfig>
{
    public override string Name => "upscaler";
    public override IReadOnlyList<string> Aliases => ["superres", "superresolution"];
    public override string Description => "upscaler: ×4 super-resolution (SRResNet on pixel MSE; SRGAN's GAN run from it)";

    protected override IReadOnlyDictionary<string, Func<UpscalerConfig>> ProfileConfigs { get; } = new Dictionary<string, Func<UpscalerConfig>>
    {
        ["quick"] = () => UpscalerConfig.Quick, ["report"] = () => UpscalerConfig.Report, ["shipped"] = () => UpscalerConfig.Shipped,
    };

    public override ITrainer CreateTrainer(UpscalerConfig config, string outputDir) => new UpscalerTrainer(config, outputDir);

    public override int CropSize(UpscalerConfig config) => config.HrSize;

    /// <summary>RGB → (LR by antialiased bicubic ×1/Scale, HR); a gray upscaler (ImageChannels 1) gets the lightness L / 100 of both.</summary>
    public override Func<Tensor, Tensor[]> Pairs(UpscalerConfig config) => rgb =>
    {
        var hr = config.ImageChannels == 1 ? Lab.lightness(rgb) : rgb.alias();
        return [Resize.bicubic(hr, 1.0 / config.Scale).clamp_(0, 1), hr];
    };

    public override bool ExcludeGrayscale => false;

    public override GeneratorIO IO(UpscalerConfig config)
    {
        var kind = config.ImageChannels == 1 ? ImageKind.Gray : ImageKind.Color;
        return new GeneratorIO(kind, kind, config.Scale);
    }

    public override string ModelName(UpscalerConfig config) => config.Adversarial ? "SRGAN" : "SRResNet";

    public override MetricSet Metrics => MetricSet.SuperResolution;
    public override IReadOnlyList<Method> Baselines(Stage model) => [Stage.Bicubic(model.Scale, model.Input)];
    public override Stage ForPhotos(TrainedStage model, PhotoSettings settings) => TiledStage.Rounded(model, settings.Tile, settings.Overlap);
    public override string UseHint(string checkpoint) => $"dotnet run --project tools/Workbook -- upscale PHOTOS -o OUT --model {checkpoint}";
}
