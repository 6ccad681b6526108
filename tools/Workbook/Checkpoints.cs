using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>Generators from the trainers' checkpoints, checked for the task a verb needs; a missing one says how to train it.</summary>
public static class Checkpoints
{
    /// <summary>The command that trains a model of <paramref name="task"/> (colorizer, superres, joint).</summary>
    public static string TrainHint(string task) =>
        $"make one with `dotnet run --project tools/Workbook -- train {task} --data data/demo/photos --minutes 10 -o runs/{task}` " +
        $"and pass --model runs/{task}/checkpoints/best.safetensors";

    /// <summary>A checkpoint file, or a run folder (its checkpoints/best.safetensors, else last.safetensors), as a stage of the wanted kind.</summary>
    /// <exception cref="UsageException">No checkpoint there, or one of another task.</exception>
    public static GeneratorStage Load<TConfig>(string path, string device, string option, string task) where TConfig : RunConfig
    {
        var file = Resolve(path, option, task);
        GeneratorStage stage;
        try { stage = (GeneratorStage)Stage.FromCheckpoint(file, device); }
        catch (InvalidDataException e) { throw new UsageException($"{option} {path}: {e.Message}"); }
        if (stage.Config is TConfig) return stage;
        var kind = stage.Config switch { ColorizationConfig => "colorizer", SuperResolutionConfig => "superres", JointConfig => "joint", _ => stage.Config.GetType().Name };
        stage.Dispose();
        throw new UsageException($"{option} {path} is a {kind} checkpoint but this needs a {task} one; {TrainHint(task)}");
    }

    private static string Resolve(string path, string option, string task)
    {
        if (Directory.Exists(path))
        {
            foreach (var name in new[] { "best.safetensors", "last.safetensors" })
                foreach (var candidate in new[] { Path.Combine(path, "checkpoints", name), Path.Combine(path, name) })
                    if (File.Exists(candidate)) return candidate;
            throw new UsageException($"{option} {path}: the folder holds no checkpoints/best.safetensors or last.safetensors (has its training run finished a validation?); {TrainHint(task)}");
        }
        if (!File.Exists(path)) throw new UsageException($"{option} {path}: no checkpoint there; {TrainHint(task)}");
        return path;
    }
}
