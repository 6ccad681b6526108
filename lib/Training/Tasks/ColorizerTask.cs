using Lib.Evaluation;
using Lib.Imaging;
using Lib.Models;
using Lib.Pipelines;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// The colorizer: L → ab (pix2pix, the course report's U-Net, ECCV16, coarse-to-fine; <see cref="ColorizerConfig"/>).
/// A gray image (L / 100) in, an sRGB image out at the same size; scored against the gray photo (ab = 0).
/// </summary>
public sealed class ColorizerTask : TrainingTask<ColorizerConfig>
{
    public override string Name => "colorizer";
    public override IReadOnlyList<string> Aliases => ["colorization"];
    public override string Description => "colorizer: a gray photo's L → its ab (a GAN, or ECCV16's classification)";

    protected override IReadOnlyDictionary<string, Func<ColorizerConfig>> ProfileConfigs { get; } = new Dictionary<string, Func<ColorizerConfig>>
    {
        ["quick"] = () => ColorizerConfig.Quick, ["report"] = () => ColorizerConfig.Report, ["shipped"] = () => ColorizerConfig.Shipped,
    };

    public override ITrainer CreateTrainer(ColorizerConfig config, string outputDir) => new ColorizerTrainer(config, outputDir);

    public override int CropSize(ColorizerConfig config) => config.ImageSize * config.InputDownscale;

    /// <summary>
    /// RGB → (L / 50 − 1, ab / 110). With <see cref="ColorizerConfig.InputDownscale"/> above 1 both are downscaled
    /// (antialiased bicubic) from the larger crop, so the colorizer learns on photos shrunk as a pipeline will give them.
    /// </summary>
    public override Func<Tensor, Tensor[]> Pairs(ColorizerConfig config)
    {
        var k = config.InputDownscale;
        return rgb =>
        {
            var (l, ab) = Lab.to_network(rgb);
            if (k == 1) return [l, ab];
            using (l)
            using (ab)
                return [Resize.bicubic(l, 1.0 / k).clamp_(-1, 1), Resize.bicubic(ab, 1.0 / k)];
        };
    }

    public override bool ExcludeGrayscale => true;

    public override GeneratorIO IO(ColorizerConfig config) => new(ImageKind.Gray, ImageKind.Color, 1, config.SizeMultiple)
    {
        ToNetwork = gray => gray * 2 - 1,
        Generate = config.ChromaGain == 1 ? IColorizer.Ab : (g, l) => IColorizer.Ab(g, l).mul_(config.ChromaGain),
        FromNetwork = (gray, ab) => Lab.from_network(gray * 2 - 1, ab),
        Chroma = (_, ab) => ab * Lab.AbScale,
    };

    public override string ModelName(ColorizerConfig config) => $"{config.Generator} colorizer";

    public override MetricSet Metrics => MetricSet.Colorization;
    public override bool ScoresAgainstTruth => true;
    public override IReadOnlyList<Method> Baselines(Stage model) => [Stage.Uncolored];

    /// <summary>
    /// Colored at <see cref="PhotoSettings.RenderSize"/>, by default the scale of its training crops: ImageSize crops cut
    /// TilesPerSide to a photo's shorter side, so a whole photo at ImageSize × TilesPerSide looks as they did (256 for the quick profile).
    /// </summary>
    public override Stage ForPhotos(TrainedStage model, PhotoSettings settings)
    {
        var c = ConfigOf(model);
        return model.AtFullResolution(settings.RenderSize ?? c.ImageSize * c.Data.TilesPerSide);
    }

    public override string UseHint(string checkpoint) => $"dotnet run --project tools/Workbook -- colorize PHOTOS -o OUT --model {checkpoint}";
}
