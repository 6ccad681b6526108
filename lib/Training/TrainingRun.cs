using Lib.Data;

namespace Lib.Training;

/// <summary>
/// The one recipe every training goes through — the command line's `train`, notebooks 02–05 and GpuCheck: split and
/// prepare the photos (or take prepared ones), build the task's trainer, resume from the run folder's last checkpoint,
/// cut the task's pairs in loaders, fit. Validation batches are <see cref="ValidationBatchSize"/> everywhere.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    /// <summary>Validation images per batch: a memory bound only (scores are per image), the same for every run.</summary>
    public const int ValidationBatchSize = 16;

    private readonly bool _ownsData;

    public TrainingTask Task { get; }
    public ITrainer Trainer { get; }
    public TrainingData Data { get; }
    public RunConfig Config => Trainer.Config;
    public string OutputDir => Trainer.OutputDir;

    private TrainingRun(TrainingTask task, ITrainer trainer, TrainingData data, bool ownsData) =>
        (Task, Trainer, Data, _ownsData) = (task, trainer, data, ownsData);

    /// <summary>A run of <paramref name="config"/>'s task on photos already prepared (shared with other runs; not disposed with this one).</summary>
    /// <exception cref="ArgumentException">A setting that cannot work (named, with what to change).</exception>
    public static TrainingRun Create(RunConfig config, TrainingData data, string outputDir)
    {
        var task = TrainingTasks.Of(config);
        return new TrainingRun(task, task.CreateTrainer(config, outputDir), data, ownsData: false);
    }

    /// <summary>
    /// A run on a folder of photos, split by the config's <see cref="RunConfig.Data"/> (seeded) and prepared at the task's crop
    /// (validation and test too), cached in <paramref name="cacheDir"/> (default: the run folder's "prepared") unless the data
    /// settings name a cache.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">Too few usable photos for the split.</exception>
    /// <exception cref="ArgumentException">A setting that cannot work.</exception>
    public static TrainingRun Create(RunConfig config, string photoDir, string outputDir, TextWriter? log = null, string? cacheDir = null) =>
        Create(config, [photoDir], outputDir, log, cacheDir);

    /// <summary>The same on the photos of several folders, split as one set.</summary>
    public static TrainingRun Create(RunConfig config, IReadOnlyList<string> photoDirs, string outputDir, TextWriter? log = null, string? cacheDir = null)
    {
        config.Validate();
        var task = TrainingTasks.Of(config);
        var crop = task.CropSize(config);
        var data = TrainingData.Prepare(photoDirs, config.Data, config.Seed, evalSize: crop, excludeGrayscale: task.ExcludeGrayscale,
            cacheDir: cacheDir ?? Path.Combine(outputDir, "prepared"), log: log);
        try
        {
            (log ?? Console.Out).WriteLine(data);
            data.SaveSplit(Path.Combine(outputDir, "split.json"));
            return new TrainingRun(task, task.CreateTrainer(config, outputDir), data, ownsData: true);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>The training loader: random crops of the task's size (resized from random sides with Data.MinCropScale), shuffled by the config's seed, cut into the task's pairs.</summary>
    public BatchLoader TrainLoader() =>
        new(Data.Train, Config.BatchSize, Task.CropSize(Config), train: true, seed: Config.Seed, transform: Task.Pairs(Config), minCropScale: Config.Data.MinCropScale);

    /// <summary>The validation loader (center crops, fixed order).</summary>
    public BatchLoader ValLoader() => Loader(Data.Val);

    /// <summary>The test images in the task's pairs, as the validation sees them (for a notebook's sample grid).</summary>
    public BatchLoader TestLoader() => Loader(Data.Test);

    private BatchLoader Loader(PreparedImages images) =>
        new(images, ValidationBatchSize, Task.CropSize(Config), train: false, seed: Config.Seed, transform: Task.Pairs(Config));

    /// <summary>
    /// Resumes from the run folder's last checkpoint when there is one, then trains until the config's epochs are done,
    /// its budget is spent or <paramref name="cancel"/> (by default a notebook's interrupt) stops it; returns why it stopped.
    /// </summary>
    /// <param name="log">Where the run reports (a console gets every line); by default a <see cref="TrainingLog"/>: the full log in
    /// the run folder's train.log, and in the notebook one progress line and a summary.</param>
    public StopReason Fit(TextWriter? log = null, CancellationToken cancel = default)
    {
        using var quiet = log is null ? new TrainingLog(Path.Combine(OutputDir, "train.log"), Console.Out, append: File.Exists(Trainer.LastCheckpoint)) : null;
        log ??= quiet!;
        var t = Trainer;
        log.WriteLine($"{Task.ModelName(Config)} → {Path.GetRelativePath(Environment.CurrentDirectory, OutputDir)}: G {t.Generator.parameter_count():N0} parameters" +
                      (t.Discriminator is null ? "" : $", D {t.Discriminator.parameter_count():N0}") +
                      $" on {t.Device}, {t.Inference.PrecisionName}" + (Config.MaxMinutes is { } m ? $"; budget {m:0.##} min in all" : ""));
        t.TryResume(log);
        return t.Fit(TrainLoader(), ValLoader(), log, cancel);
    }

    public override string ToString() => $"{Task.Name} run in {OutputDir} ({Data})";

    public void Dispose()
    {
        Trainer.Dispose();
        if (_ownsData) Data.Dispose();
    }
}
