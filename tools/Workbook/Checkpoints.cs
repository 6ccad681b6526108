using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>Trained models from the trainers' checkpoints, checked for the task a verb needs; a missing one says how to train it.</summary>
public static class Checkpoints
{
    /// <summary>The command that trains a model of <paramref name="task"/>.</summary>
    public static string TrainHint(TrainingTask task) =>
        $"make one with `dotnet run --project tools/Workbook -- train {task.Name} --data data/demo/photos --minutes 10 -o runs/{task.Name}` " +
        $"and pass --model runs/{task.Name}/checkpoints/best.safetensors";

    /// <summary>A checkpoint file, or a run folder (its checkpoints/best.safetensors, else last.safetensors), as a trained stage of <paramref name="task"/> (any task when null).</summary>
    /// <exception cref="UsageException">No checkpoint there, or one of another task.</exception>
    public static TrainedStage Load(string path, string device, string option, TrainingTask? task)
    {
        var hintTask = task ?? TrainingTasks.Colorizer;
        var file = Resolve(path, option, hintTask);
        TrainedStage stage;
        try { stage = TrainedStage.Load(file, device); }
        catch (InvalidDataException e) { throw new UsageException($"{option} {path}: {e.Message}"); }
        if (task is null || stage.Task == task) return stage;
        var kind = stage.Task.Name;
        stage.Dispose();
        throw new UsageException($"{option} {path} is a {kind} checkpoint, but this needs one of task '{task.Name}'; {TrainHint(task)}");
    }

    private static string Resolve(string path, string option, TrainingTask task)
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

    /// <summary>The shipped model of <paramref name="task"/> (named in the log), for a verb given no --model.</summary>
    /// <exception cref="UsageException">The workbook ships none for this task.</exception>
    public static string Shipped(TrainingTask task, TextWriter log)
    {
        var path = ShippedModels.Find(task)
                   ?? throw new UsageException($"no --model given, and the workbook ships no {task.Name} model ({ShippedModels.RelativePath(task)}); {TrainHint(task)}");
        log.WriteLine($"model: {Path.GetRelativePath(Environment.CurrentDirectory, path)} (the shipped {task.Name}; its card: models/README.md; --model picks another)");
        return path;
    }

    /// <summary>The model as the photo verbs run it (<see cref="TrainingTask.ForPhotos"/>); a setting that cannot work is a usage error.</summary>
    public static Stage ForPhotos(TrainedStage model, PhotoSettings settings)
    {
        try { return model.Task.ForPhotos(model, settings); }
        catch (ArgumentException e) { throw new UsageException($"--tile/--overlap: {e.Message}"); }
    }
}
