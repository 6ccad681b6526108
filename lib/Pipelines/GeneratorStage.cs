using Lib.Imaging;
using Lib.Models;
using Lib.Torch;
using Lib.Training;
using static Lib.Torch.torch;

namespace Lib.Pipelines;

/// <summary>
/// A trained generator as a stage, wrapped for its task: a colorizer (gray → color: L / 50 − 1 in, ab out,
/// recombined with the input's L), an upscaler (color or gray, ×Scale), or the joint model (gray → color ×Scale).
/// Built from the run's config and the generator's weights alone.
/// </summary>
public sealed class GeneratorStage : Stage
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly Device _device;

    public RunConfig Config { get; }
    public override string Name { get; }
    public override ImageKind Input { get; }
    public override ImageKind Output { get; }
    public override int Scale { get; }
    public override int SizeMultiple { get; }
    public override Device Device => _device;

    /// <summary>Wraps a generator (e.g. a trainer's, which stays the trainer's to dispose) for the task its config describes.</summary>
    public static GeneratorStage Wrap(nn.Module<Tensor, Tensor> generator, RunConfig config, Device device, string name) =>
        new(generator, config, device, name, owns: false);

    private readonly bool _owns;

    private GeneratorStage(nn.Module<Tensor, Tensor> generator, RunConfig config, Device device, string name, bool owns)
    {
        (_generator, Config, _device, Name, _owns) = (generator, config, device, name, owns);
        (Input, Output, Scale, SizeMultiple) = config switch
        {
            ColorizationConfig c => (ImageKind.Gray, ImageKind.Color, 1, c.SizeMultiple),
            SuperResolutionConfig s => (s.ImageChannels == 1 ? ImageKind.Gray : ImageKind.Color, s.ImageChannels == 1 ? ImageKind.Gray : ImageKind.Color, s.Scale, 1),
            JointConfig j => (ImageKind.Gray, ImageKind.Color, j.Scale, j.ImageSize),
            _ => throw new NotSupportedException($"no stage for a {config.GetType().Name}"),
        };
    }

    internal static GeneratorStage Load(string path, string device, string? name)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no checkpoint at {path}: train one first (the notebooks' training cells, or `train ... --minutes 10` in the workbook CLI)", path);
        var meta = Checkpoint.ReadMetadata(path);
        if (!meta.TryGetValue("config", out var json))
            throw new InvalidDataException($"{path} holds no run config in its metadata: it was not written by one of the workbook's trainers");
        var config = RunConfig.FromJson(json, $"{path} (metadata \"config\")");
        var dev = TrainingDevice.Resolve(device);
        var generator = config.CreateGenerator();
        try
        {
            Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["G"] = generator }, restoreRng: false);
            generator.to(dev);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return new GeneratorStage(generator, config, dev, name ?? $"{DefaultName(config)} ({Path.GetFileNameWithoutExtension(path)})", owns: true);
    }

    private static string DefaultName(RunConfig config) => config switch
    {
        ColorizationConfig c => $"{c.Generator} colorizer",
        SuperResolutionConfig { Adversarial: true } => "SRGAN",
        SuperResolutionConfig => "SRResNet",
        JointConfig => "joint GAN",
        _ => config.GetType().Name,
    };

    protected override Tensor Forward(Tensor images)
    {
        _generator.eval();
        switch (Config)
        {
            case ColorizationConfig:
                var l = images * 2 - 1;
                return Lab.from_network(l, IColorizer.Ab(_generator, l));
            case JointConfig:
                return JointTrainer.ToRgb(_generator.call(images * 2 - 1));
            default:
                return _generator.call(images);
        }
    }

    public override void Dispose()
    {
        if (_owns) _generator.Dispose();
        base.Dispose();
    }
}
