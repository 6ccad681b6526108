using Lib.Pipelines;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// A trained generator loaded from a trainer's checkpoint alone — its config comes from the checkpoint's metadata and
/// its task from the config — as a stage that owns the network (no discriminator, optimizer or VGG is built).
/// </summary>
public sealed class TrainedStage : GeneratorStage
{
    /// <summary>The run's config as the checkpoint holds it.</summary>
    public RunConfig Config { get; }
    public TrainingTask Task { get; }

    /// <summary>The checkpoint file it was loaded from.</summary>
    public string CheckpointPath { get; }

    /// <summary>What the checkpoint says of its run (steps, minutes trained, best score).</summary>
    public CheckpointInfo Info { get; }

    private TrainedStage(torch.nn.Module<Tensor, Tensor> generator, RunConfig config, TrainingTask task, Device device, string name, string path, CheckpointInfo info)
        : base(generator, task.IO(config), device, name, ownsGenerator: true)
    {
        (Config, Task, CheckpointPath, Info) = (config, task, path, info);
        MixedPrecision = config.Precision == Precision.BFloat16;
    }

    /// <summary>A generator saved by a trainer (its best or last checkpoint), as a stage.</summary>
    /// <param name="path">A checkpoint written by one of the trainers (any task registered in <see cref="TrainingTasks"/>).</param>
    /// <param name="device">"auto", "cpu", "cuda", "cuda:N".</param>
    /// <param name="name">The name in tables (default: the task's name for the model, and the file's).</param>
    /// <param name="inference">
    /// Changes to the saved config that only touch inference, e.g. <c>c =&gt; ((ColorizerConfig)c) with { ChromaGain = 1.5 }</c>
    /// (a gain or temperature sweep); a change that renames or reshapes a weight fails to load, named.
    /// </param>
    /// <exception cref="FileNotFoundException">No file there (says how to train one).</exception>
    /// <exception cref="InvalidDataException">Not a trainer's checkpoint, or a config this version cannot read.</exception>
    public static TrainedStage Load(string path, string device = "auto", string? name = null, Func<RunConfig, RunConfig>? inference = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no checkpoint at {path}: train one first (the notebooks' training cells, or `train ... --minutes 10` in the workbook CLI)", path);
        var info = Checkpoint.ReadInfo(path);
        var config = info.Config(path);
        if (inference is not null) config = inference(config);
        var task = TrainingTasks.Of(config);
        var dev = TrainingDevice.Resolve(device);
        var generator = config.CreateGenerator();
        try
        {
            Checkpoint.Load(path, new Dictionary<string, torch.nn.Module> { ["G"] = generator }, restoreRng: false);
            generator.to(dev);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return new TrainedStage(generator, config, task, dev, name ?? $"{task.ModelName(config)} ({Path.GetFileNameWithoutExtension(path)})", path, info);
    }
}
