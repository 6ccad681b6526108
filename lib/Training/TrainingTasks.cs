namespace Lib.Training;

/// <summary>
/// The tasks the workbook knows: the colorizer, the upscaler and the joint model, and any a user registers. Every
/// place that used to switch on a config's type or a task's name asks here.
/// </summary>
public static class TrainingTasks
{
    private static readonly List<TrainingTask> Registered = [];
    private static bool _builtIns;

    public static ColorizerTask Colorizer { get; } = new();
    public static UpscalerTask Upscaler { get; } = new();
    public static JointTask Joint { get; } = new();

    /// <summary>Every task, the built-in ones first.</summary>
    public static IReadOnlyList<TrainingTask> All
    {
        get
        {
            EnsureBuiltIns();
            lock (Registered) return Registered.ToList();
        }
    }

    /// <summary>
    /// Adds a task (its config type becomes readable from JSON, checkpoints of it load as stages, and the run recipe
    /// trains it). Registering the same task again does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Another task already has its name, an alias of it, or its config type.</exception>
    public static void Register(TrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        EnsureBuiltIns();
        Add(task);
    }

    /// <summary>The task called <paramref name="name"/> (or one of its aliases), or null.</summary>
    public static TrainingTask? Find(string name) =>
        All.FirstOrDefault(t => t.Name == name || t.Aliases.Contains(name));

    /// <summary>The task called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such task (names those there are).</exception>
    public static TrainingTask Get(string name) =>
        Find(name) ?? throw new ArgumentException($"no task called '{name}'; the tasks are: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    /// <summary>The task whose runs have <paramref name="config"/>'s type.</summary>
    /// <exception cref="ArgumentException">No registered task has that config type.</exception>
    public static TrainingTask Of(RunConfig config) =>
        All.FirstOrDefault(t => t.ConfigType == config.GetType())
        ?? throw new ArgumentException($"no task trains a {config.GetType().Name}; register one with TrainingTasks.Register", nameof(config));

    /// <summary>The task's name when <paramref name="name"/> is an older spelling of it (so older configs read), else null.</summary>
    internal static string? RenamedTask(string name) => Find(name) is { } t && t.Name != name ? t.Name : null;

    internal static void EnsureBuiltIns()
    {
        lock (Registered)
        {
            if (_builtIns) return;
            _builtIns = true;
            foreach (var task in new TrainingTask[] { Colorizer, Upscaler, Joint }) Add(task);
        }
    }

    private static void Add(TrainingTask task)
    {
        lock (Registered)
        {
            if (Registered.Contains(task)) return;
            string[] names = [task.Name, .. task.Aliases];
            if (Registered.FirstOrDefault(t => t.ConfigType == task.ConfigType || names.Any(n => n == t.Name || t.Aliases.Contains(n))) is { } clash)
                throw new ArgumentException($"task '{task.Name}' clashes with the registered task '{clash.Name}' (same name, alias or config type {task.ConfigType.Name})", nameof(task));
            Registered.Add(task);
            RunConfig.RegisterType(task.Name, task.ConfigType);
        }
    }
}
