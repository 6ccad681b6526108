using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// The trained models that ship with the workbook, one file per task under models/ (models/upscaler.safetensors …; their
/// cards are in models/README.md): what the photo verbs use when no --model is given. A shipped file is a trainer's
/// checkpoint cut down to the generator and its run's metadata, so <see cref="TrainedStage.Load"/> reads it as any other.
/// </summary>
public static class ShippedModels
{
    public const string Folder = "models";

    /// <summary>The file a shipped model of <paramref name="task"/> has, relative to the repository root.</summary>
    public static string RelativePath(TrainingTask task) => Path.Combine(Folder, task.Name + ".safetensors");

    /// <summary>
    /// The shipped model of <paramref name="task"/>: models/TASK.safetensors in the working folder or a folder above it, or
    /// above the running program (a build under tools/…/bin finds the repository's); null when the workbook ships none.
    /// </summary>
    public static string? Find(TrainingTask task)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath(task));
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>
    /// Writes the generator of <paramref name="checkpoint"/> with its run's metadata (config, steps, minutes, best score) to
    /// <paramref name="destination"/>: no discriminator, optimizer state or random state — what a model that ships needs.
    /// </summary>
    /// <param name="inference">Inference settings to change on the way (e.g. a colorizer's ChromaGain chosen on validation photos), saved in the file's config.</param>
    public static void Export(string checkpoint, string destination, Func<RunConfig, RunConfig>? inference = null)
    {
        using var model = TrainedStage.Load(checkpoint, "cpu", inference: inference);
        var info = model.Info with { ConfigJson = model.Config.ToJson() };
        Checkpoint.Save(destination, new Dictionary<string, torch.nn.Module> { ["G"] = model.Generator }, metadata: info.ToMetadata(), includeRng: false);
    }
}
