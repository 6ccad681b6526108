using Lib.Evaluation;
using Lib.Pipelines;
using Lib.Torch;

namespace Lib.Training;

/// <summary>
/// Everything the workbook knows about one kind of model it trains, in one place: its name (on the command line, in
/// configs and checkpoints), its profiles, how a trainer is made, what the data loaders give it (pairs and crop),
/// whether gray photos are kept, how its generator meets images as a stage, and what it is scored against. The command
/// line, the run recipe (<see cref="TrainingRun"/>), checkpoint loading (<see cref="TrainedStage"/>) and evaluation
/// look a task up (<see cref="TrainingTasks"/>) instead of switching on config types — pix2pix's BaseModel contract,
/// BasicSR's registry. A new task is one file: a config, a trainer, and a subclass of <see cref="TrainingTask{TConfig}"/>,
/// registered once (<see cref="TrainingTasks.Register"/>).
/// </summary>
public abstract class TrainingTask
{
    /// <summary>The one name of the task: the CLI's (`train colorizer`), the configs' "task" field, run folders' hints.</summary>
    public abstract string Name { get; }

    /// <summary>Earlier or other spellings, accepted on the command line and read from older configs ("superres").</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>One line for help texts: what goes in and what comes out.</summary>
    public abstract string Description { get; }

    /// <summary>The config type of this task's runs.</summary>
    public abstract Type ConfigType { get; }

    /// <summary>The named starting points ("quick": minutes on a 2-core CPU; "report": the course report's scale, for a GPU).</summary>
    public abstract IReadOnlyList<string> Profiles { get; }

    /// <summary>A profile's config.</summary>
    /// <exception cref="ArgumentException">No such profile (names the ones there are).</exception>
    public abstract RunConfig Profile(string name);

    public abstract ITrainer CreateTrainer(RunConfig config, string outputDir);

    /// <summary>The side of the square crops the loaders cut for this run (training and validation).</summary>
    public abstract int CropSize(RunConfig config);

    /// <summary>The loaders' transform: an RGB batch in [0, 1] → (input, target) in the network's scale.</summary>
    public abstract Func<Tensor, Tensor[]> Pairs(RunConfig config);

    /// <summary>Whether grayscale photos are left out of the data (a colorizer learns nothing from them).</summary>
    public abstract bool ExcludeGrayscale { get; }

    /// <summary>How the run's generator meets images (kinds, scale, pre- and post-processing).</summary>
    public abstract GeneratorIO IO(RunConfig config);

    /// <summary>How a model of this config is called in tables ("Pix2Pix colorizer", "SRGAN").</summary>
    public abstract string ModelName(RunConfig config);

    /// <summary>The scores that matter for this task (<see cref="Evaluator.Run"/>).</summary>
    public abstract MetricSet Metrics { get; }

    /// <summary>Whether a table starts with the ground truth's own row (its colorfulness, the colorizers' reference line).</summary>
    public virtual bool ScoresAgainstTruth => false;

    /// <summary>What a model of this task must beat, on the same inputs (the gray photo, bicubic).</summary>
    public abstract IReadOnlyList<Method> Baselines(Stage model);

    /// <summary>The model as the photo verbs run it on photos of any size (full-resolution colors, tiles).</summary>
    /// <exception cref="ArgumentException">A setting that cannot work (an overlap not smaller than the tile).</exception>
    public abstract Stage ForPhotos(TrainedStage model, PhotoSettings settings);

    /// <summary>The command that uses a trained checkpoint of this task on photos.</summary>
    public abstract string UseHint(string checkpoint);

    /// <summary>
    /// The task's table for <paramref name="model"/> on <paramref name="set"/>: the truth's row where the task has one,
    /// each baseline, then the model, with the task's scores.
    /// </summary>
    public ScoreTable Score(Stage model, EvaluationSet set, string? name = null)
    {
        var table = new ScoreTable();
        if (ScoresAgainstTruth) table.Add(Evaluator.Truth(set));
        foreach (var baseline in Baselines(model)) table.Add(Evaluator.Run(baseline, set, Metrics));
        return table.Add(Evaluator.Run(Method.Of(model, name ?? model.Name), set, Metrics));
    }

    public override string ToString() => Name;
}

/// <summary>A task whose runs have configs of type <typeparamref name="TConfig"/>; the untyped members check the type and name it.</summary>
public abstract class TrainingTask<TConfig> : TrainingTask where TConfig : RunConfig
{
    public sealed override Type ConfigType => typeof(TConfig);

    /// <summary>The profiles by name.</summary>
    protected abstract IReadOnlyDictionary<string, Func<TConfig>> ProfileConfigs { get; }

    public sealed override IReadOnlyList<string> Profiles => ProfileConfigs.Keys.ToList();

    public sealed override RunConfig Profile(string name) => TypedProfile(name);

    /// <summary>A profile's config, typed.</summary>
    public TConfig TypedProfile(string name) =>
        ProfileConfigs.TryGetValue(name, out var make) ? make()
            : throw new ArgumentException($"the {Name} task has no profile '{name}'; use one of: {string.Join(", ", ProfileConfigs.Keys)}", nameof(name));

    public sealed override ITrainer CreateTrainer(RunConfig config, string outputDir) => CreateTrainer(Typed(config), outputDir);
    public sealed override int CropSize(RunConfig config) => CropSize(Typed(config));
    public sealed override Func<Tensor, Tensor[]> Pairs(RunConfig config) => Pairs(Typed(config));
    public sealed override GeneratorIO IO(RunConfig config) => IO(Typed(config));
    public sealed override string ModelName(RunConfig config) => ModelName(Typed(config));

    public abstract ITrainer CreateTrainer(TConfig config, string outputDir);
    public abstract int CropSize(TConfig config);
    public abstract Func<Tensor, Tensor[]> Pairs(TConfig config);
    public abstract GeneratorIO IO(TConfig config);
    public abstract string ModelName(TConfig config);

    /// <summary>The model's config, typed (a model loaded for this task has one).</summary>
    protected static TConfig ConfigOf(TrainedStage model) => (TConfig)model.Config;

    private TConfig Typed(RunConfig config) =>
        config as TConfig ?? throw new ArgumentException($"the {Name} task takes a {typeof(TConfig).Name}, not a {config.GetType().Name}", nameof(config));
}
