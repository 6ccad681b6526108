using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lib.Data;
using Lib.Torch;

namespace Lib.Training;

/// <summary>How the learning rate moves over the epochs (the library's LRScheduler does the arithmetic).</summary>
public enum LrPolicy
{
    /// <summary>The rate stays at Lr.</summary>
    Constant,

    /// <summary>StepLR: × LrGamma every LrStepEpochs epochs (SRGAN: 1e-4 → 1e-5 halfway).</summary>
    Step,

    /// <summary>pix2pix's "linear" policy: Lr for Epochs − LrDecayEpochs epochs, then linearly towards 0 over LrDecayEpochs.</summary>
    Linear,

    /// <summary>
    /// The same shape on the clock (budgeted training, Li et al. 2020): Lr for the first 1 − LrDecayFraction of MaxMinutes,
    /// then linearly to 0 when the budget runs out, so a run of any length on any machine ends annealed. The rate follows the
    /// training clock, so a seeded run repeats step for step only until the decay starts (Linear, by epochs, repeats throughout).
    /// </summary>
    LinearBudget,
}

/// <summary>
/// The arithmetic of a run's forward passes: float32 throughout, or bfloat16 autocast (<see cref="torch.autocast"/>: convolutions
/// and matmuls in bfloat16, reductions and losses in float32, the weights and the optimizer float32), for training, validation
/// and inference alike. bfloat16 needs no loss scaling (float32's exponent range).
/// </summary>
public enum Precision { Float32, BFloat16 }

/// <summary>Whether the best checkpoint has the lowest or the highest value of <see cref="RunConfig.BestMetric"/>.</summary>
public enum MetricGoal { Minimize, Maximize }

/// <summary>
/// What every training run shares — seed, device, batch, optimizer, schedule, epochs, the wall-clock
/// budget, the metric that picks the best checkpoint, logging — saved as config.json beside the run and in
/// every checkpoint's metadata, where the "task" field (the name of its <see cref="TrainingTask"/>) lets a
/// checkpoint rebuild its generator alone (<see cref="FromJson"/>, <see cref="CreateGenerator"/>). A task's config
/// adds its models and losses; the photos it learns from are one <see cref="DataSettings"/> record.
/// </summary>
public abstract record RunConfig
{
    /// <summary>"quick" (minutes on a 2-core CPU), "report" (the course report's scale, for a GPU), or a name of yours.</summary>
    public string Profile { get; init; } = "quick";

    public int Seed { get; init; } = 42;

    /// <summary>The photos: how many per split, the squares they are prepared as (each task sets its own default).</summary>
    public DataSettings Data { get; init; } = new();

    /// <summary>"auto" (a GPU when libtorch sees one, else the CPU), "cpu", "cuda" or "cuda:N". Seeded runs repeat bit for bit on the CPU.</summary>
    public string Device { get; init; } = TrainingDevice.Auto;

    public int BatchSize { get; init; } = 16;

    /// <summary>Float32, or bfloat16 autocast for the forward passes (see <see cref="Training.Precision"/>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Precision Precision { get; init; } = Precision.Float32;
    public double Lr { get; init; } = 2e-4;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public LrPolicy LrPolicy { get; init; } = LrPolicy.Constant;

    /// <summary>For <see cref="LrPolicy.Step"/>: epochs between multiplications by <see cref="LrGamma"/>.</summary>
    public int LrStepEpochs { get; init; } = 10;

    public double LrGamma { get; init; } = 0.1;

    /// <summary>For <see cref="LrPolicy.Linear"/>: the last epochs over which the rate decays to zero (pix2pix's n_epochs_decay).</summary>
    public int LrDecayEpochs { get; init; } = 10;

    public int Epochs { get; init; } = 30;

    /// <summary>For <see cref="LrPolicy.LinearBudget"/>: the last share of MaxMinutes over which the rate decays to zero.</summary>
    public double LrDecayFraction { get; init; } = 0.5;

    /// <summary>
    /// Wall-clock budget for training, in minutes (null: none). The run stops at the end of the step in which
    /// the budget runs out, validates, saves, and records that the budget ended it. Time spent before a resume counts.
    /// </summary>
    public double? MaxMinutes { get; init; }

    /// <summary>
    /// Training minutes at which the run keeps a checkpoint of its own (checkpoints/at_Nmin.safetensors), e.g. [1, 2, 4, 8, 15]:
    /// a budget curve scores each, so a reader sees where a ranking settles. They change nothing in the training.
    /// </summary>
    public IReadOnlyList<double> BudgetMarks { get; init; } = [];

    /// <summary>
    /// The decay of an exponential moving average of the generator's weights (null: none), e.g. 0.999. When set, validation,
    /// samples and every checkpoint's "G" (what a stage loads) are the average; the raw weights train on as "G_train".
    /// Early on the decay is min(EmaDecay, (1 + step) / (10 + step)), so the average is not held back by the initial weights.
    /// </summary>
    public double? EmaDecay { get; init; }

    /// <summary>The validation score that picks the best checkpoint (a name the task's validation reports, e.g. "val_L1").</summary>
    public string BestMetric { get; init; } = "";

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public MetricGoal BestGoal { get; init; } = MetricGoal.Minimize;

    /// <summary>
    /// Steps in a row with a non-finite loss (NaN or ±Inf) after which the run stops; each such step is skipped
    /// without an optimizer update. The last good checkpoint stays as it was.
    /// </summary>
    public int MaxNonFiniteSteps { get; init; } = 20;

    /// <summary>Validation images shown in the sample grids.</summary>
    public int SampleCount { get; init; } = 6;

    /// <summary>A sample grid every this many epochs, and at the end of the run.</summary>
    public int SampleEvery { get; init; } = 1;

    /// <summary>Print a progress line every this many steps.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>The generator this config describes, freshly initialized (trainers and checkpoint loaders both use this).</summary>
    public abstract torch.nn.Module<Tensor, Tensor> CreateGenerator();

    /// <summary>Settings that may differ between a checkpoint and the run resuming it (lengths, budget, device, logging, <see cref="InferenceSettings"/>).</summary>
    public virtual IReadOnlyCollection<string> MayChangeOnResume =>
        ["Epochs", "MaxMinutes", "Device", "LogEvery", "SampleCount", "SampleEvery", "MaxNonFiniteSteps", "BudgetMarks", .. InferenceSettings];

    /// <summary>Settings that change only how a trained generator is used, not what it learned (a colorizer's ChromaGain): <see cref="WithSetting"/> may change them.</summary>
    public virtual IReadOnlyCollection<string> InferenceSettings => [];

    /// <summary>
    /// A copy with one of the <see cref="InferenceSettings"/> set from text (the CLI's <c>export --set ChromaGain=1.5</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Not an inference setting of this config, or a value it cannot take (named).</exception>
    public RunConfig WithSetting(string name, string value)
    {
        var setting = InferenceSettings.FirstOrDefault(s => s.Equals(name, StringComparison.OrdinalIgnoreCase))
                      ?? throw new ArgumentException($"{GetType().Name} has no inference setting {name}; those it has: {(InferenceSettings.Count == 0 ? "none" : string.Join(", ", InferenceSettings))}");
        var node = JsonNode.Parse(ToJson())!.AsObject();
        node[setting] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number) : JsonValue.Create(value);
        try { return FromJson(node.ToJsonString(), $"{setting}={value}"); }
        catch (InvalidDataException e) { throw new ArgumentException(e.Message, e); }
    }

    /// <summary>Throws, naming the setting and what to change, when a value cannot work.</summary>
    public virtual void Validate()
    {
        Require(BatchSize > 0, nameof(BatchSize), BatchSize, "must be at least 1");
        Require(Lr > 0 && double.IsFinite(Lr), nameof(Lr), Lr, "must be a positive number (the report uses 2e-4)");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
        Require(Epochs >= 0, nameof(Epochs), Epochs, "must not be negative");
        Require(MaxMinutes is null or > 0, nameof(MaxMinutes), MaxMinutes, "must be positive, or null for no budget");
        Require(BudgetMarks.All(m => m > 0 && double.IsFinite(m)) && BudgetMarks.Zip(BudgetMarks.Skip(1)).All(p => p.First < p.Second), nameof(BudgetMarks),
            string.Join(", ", BudgetMarks), "must be positive minutes in increasing order, e.g. [1, 2, 4, 8, 15]");
        Require(LrPolicy != LrPolicy.Step || LrStepEpochs > 0, nameof(LrStepEpochs), LrStepEpochs, "must be at least 1 with LrPolicy Step");
        Require(LrPolicy != LrPolicy.Linear || LrDecayEpochs >= 0, nameof(LrDecayEpochs), LrDecayEpochs, "must not be negative");
        Require(LrPolicy != LrPolicy.LinearBudget || MaxMinutes is not null, nameof(MaxMinutes), MaxMinutes, "must be set with LrPolicy LinearBudget (the rate decays towards the budget's end)");
        Require(LrPolicy != LrPolicy.LinearBudget || LrDecayFraction is > 0 and <= 1, nameof(LrDecayFraction), LrDecayFraction, "must be in (0, 1] (0.5: the second half of the budget)");
        Require(EmaDecay is null or (>= 0 and < 1), nameof(EmaDecay), EmaDecay, "must be in [0, 1) (e.g. 0.999), or null for no average");
        Require(MaxNonFiniteSteps > 0, nameof(MaxNonFiniteSteps), MaxNonFiniteSteps, "must be at least 1");
        Require(SampleEvery > 0, nameof(SampleEvery), SampleEvery, "must be at least 1");
        Require(LogEvery > 0, nameof(LogEvery), LogEvery, "must be at least 1");
        Require(!string.IsNullOrWhiteSpace(BestMetric), nameof(BestMetric), BestMetric, "must name a validation score");
    }

    /// <summary>Throws, naming the setting, when <see cref="Data"/> cannot feed crops of <paramref name="crop"/> pixels.</summary>
    protected void RequireData(int crop)
    {
        if (Data?.Check(crop) is { } broken) throw new ArgumentException($"{GetType().Name}.Data.{broken}", nameof(Data));
    }

    protected void Require(bool ok, string setting, object? value, string rule)
    {
        if (!ok) throw new ArgumentException($"{GetType().Name}.{setting} = {value ?? "null"} {rule}", setting);
    }

    /// <summary>The "task" names and config types JSON may hold; a new task adds itself (<see cref="TrainingTasks.Register"/>).</summary>
    private static readonly Dictionary<string, Type> ConfigTypes = [];
    private static JsonSerializerOptions? _json;

    internal static void RegisterType(string task, Type configType)
    {
        lock (ConfigTypes)
        {
            ConfigTypes[task] = configType;
            _json = null; // options freeze their type info on first use: the next call builds them with the new type
        }
    }

    private static JsonSerializerOptions Json
    {
        get
        {
            TrainingTasks.EnsureBuiltIns();
            lock (ConfigTypes) return _json ??= BuildJsonOptions();
        }
    }

    private static JsonSerializerOptions BuildJsonOptions()
    {
        var derived = ConfigTypes.Select(kv => new JsonDerivedType(kv.Value, kv.Key)).ToList();
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(RunConfig)) return;
            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "task" };
            foreach (var d in derived) info.PolymorphismOptions.DerivedTypes.Add(d);
        });
        return new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = resolver };
    }

    /// <summary>The config as JSON, with a "task" field naming its kind (what <see cref="FromJson"/> reads back).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, typeof(RunConfig), Json);

    /// <summary>Any run's config from its JSON (config.json, or a checkpoint's "config" metadata), also as written by earlier versions.</summary>
    /// <exception cref="InvalidDataException">Not a config: bad JSON, an unknown task, a setting of the wrong type.</exception>
    public static RunConfig FromJson(string json, string source = "config")
    {
        try
        {
            var config = JsonSerializer.Deserialize<RunConfig>(Upgrade(json), Json) ?? throw new InvalidDataException($"{source}: the config is empty (null)");
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{source} is not a valid run config: {e.Message}" +
                                           (e is JsonException && e.Message.Contains("discriminator") ? $" (known tasks: {string.Join(", ", TrainingTasks.All.Select(t => t.Name))})" : ""), e);
        }
    }

    /// <summary>
    /// A config's JSON as this version writes it. Earlier versions named the task "colorization" or "superresolution"
    /// and kept the data settings flat beside the models' (LoadSize, TilesPerSide, TrainImages, ValImages, TestImages);
    /// their checkpoints load and resume unchanged in meaning.
    /// </summary>
    public static string Upgrade(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return json; } // the deserializer says what is wrong, with the position
        if (root is not JsonObject o) return json;
        var changed = false;
        if (o["task"] is JsonValue t && t.TryGetValue<string>(out var name) && TrainingTasks.RenamedTask(name) is { } renamed)
        {
            o["task"] = renamed;
            changed = true;
        }
        string[] flat = [nameof(DataSettings.TrainImages), nameof(DataSettings.ValImages), nameof(DataSettings.TestImages), nameof(DataSettings.LoadSize), nameof(DataSettings.TilesPerSide)];
        if (o["Data"] is null && flat.Any(o.ContainsKey))
        {
            var data = new JsonObject();
            foreach (var key in flat.Where(o.ContainsKey))
            {
                var value = o[key];
                o.Remove(key);
                data[key] = value;
            }
            o["Data"] = data;
            changed = true;
        }
        return changed ? o.ToJsonString() : json;
    }

    /// <summary>A config of a known kind from its JSON (e.g. <c>RunConfig.FromJson&lt;ColorizerConfig&gt;(File.ReadAllText(path))</c>).</summary>
    public static T FromJson<T>(string json, string source = "config") where T : RunConfig =>
        FromJson(json, source) as T ?? throw new InvalidDataException($"{source} describes a {FromJson(json, source).GetType().Name}, not a {typeof(T).Name}");

    /// <summary>Reads a config.json.</summary>
    public static RunConfig Load(string path) =>
        File.Exists(path) ? FromJson(File.ReadAllText(path), path) : throw new FileNotFoundException($"no run config at {path}", path);

    public void Save(string path)
    {
        DurableFile.WriteAllText(path, ToJson());
    }
}
