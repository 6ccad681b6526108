using Lib.Evaluation;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Training;

/// <summary>
/// The joint model (<see cref="JointConfig"/>): a small gray photo (L / 100) in, a color one ×Scale out, in one
/// generator — notebook 04's ordering c. Scored against the bicubic-upscaled gray photo.
/// </summary>
public sealed class JointTask : TrainingTask<JointConfig>
{
    public override string Name => "joint";
    public override string Description => "joint: a gray 64-px photo → a color 256-px one in one GAN";

    protected override IReadOnlyDictionary<string, Func<JointConfig>> ProfileConfigs { get; } = new Dictionary<string, Func<JointConfig>>
    {
        ["quick"] = () => JointConfig.Quick, ["report"] = () => JointConfig.Report,
    };

    public override ITrainer CreateTrainer(JointConfig config, string outputDir) => new JointTrainer(config, outputDir);

    public override int CropSize(JointConfig config) => config.HrSize;

    /// <summary>RGB at the output size → (L / 50 − 1 downscaled ×1/Scale with antialiased bicubic, Lab in the network's scale).</summary>
    public override Func<Tensor, Tensor[]> Pairs(JointConfig config) => rgb =>
    {
        var (l, ab) = Lab.to_network(rgb);
        using (ab)
            return [Resize.bicubic(l, 1.0 / config.Scale).clamp_(-1, 1), cat([l, ab], 1)];
    };

    public override bool ExcludeGrayscale => true;

    public override GeneratorIO IO(JointConfig config) => new(ImageKind.Gray, ImageKind.Color, config.Scale, config.ImageSize)
    {
        ToNetwork = gray => gray * 2 - 1,
        FromNetwork = (_, lab) => JointTrainer.ToRgb(lab),
    };

    public override string ModelName(JointConfig config) => "joint GAN";

    public override MetricSet Metrics => MetricSet.All;
    public override bool ScoresAgainstTruth => true;

    public override IReadOnlyList<Method> Baselines(Stage model) =>
        [Method.Of(Stage.Bicubic(model.Scale, ImageKind.Gray).Then(Stage.Uncolored), "baseline: bicubic gray (ab = 0)")];

    public override Stage ForPhotos(TrainedStage model, PhotoSettings settings) => TiledStage.Rounded(model, settings.Tile, settings.Overlap);
    public override string UseHint(string checkpoint) => $"dotnet run --project tools/Workbook -- restore PHOTOS -o OUT --order c --joint {checkpoint}";
}
