using System.Globalization;

namespace Lib.Training;

/// <summary>
/// What a trainer's checkpoint says about its run, beside the weights: the config, the run's position (for an exact
/// resume), the best score so far and why the run last stopped. Stored as the safetensors file's string metadata; the
/// keys are this type's business alone, so a reader asks <see cref="Checkpoint.ReadInfo"/> instead of spelling them.
/// </summary>
public sealed record CheckpointInfo
{
    /// <summary>The run's config as JSON (null in a checkpoint not written by a trainer); <see cref="Config"/> reads it.</summary>
    public string? ConfigJson { get; init; }
    public int EpochsDone { get; init; }
    public long StepsDone { get; init; }

    /// <summary>Steps done within the unfinished epoch (a run stopped mid-epoch resumes there).</summary>
    public int StepsInEpoch { get; init; }

    /// <summary>Wall-clock seconds trained, across resumes.</summary>
    public double TrainSeconds { get; init; }
    public string BestMetric { get; init; } = "";
    public double BestValue { get; init; } = double.NaN;
    public long BestStep { get; init; }
    public StopReason? StoppedBy { get; init; }

    private const string ConfigKey = "config", EpochsKey = "epochs_done", StepsKey = "steps_done", StepsInEpochKey = "steps_in_epoch",
        SecondsKey = "train_seconds", BestMetricKey = "best_metric", BestValueKey = "best_value", BestStepKey = "best_step", StoppedKey = "stopped_by";

    /// <summary>The run's config (any version's JSON, upgraded).</summary>
    /// <exception cref="InvalidDataException">The checkpoint holds no config, or one this version cannot read.</exception>
    public RunConfig Config(string source) =>
        ConfigJson is { } json ? RunConfig.FromJson(json, $"{source} (its config)")
            : throw new InvalidDataException($"{source} holds no run config in its metadata: it was not written by one of the workbook's trainers");

    /// <summary>The metadata strings a checkpoint stores.</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var m = new Dictionary<string, string>
        {
            [EpochsKey] = EpochsDone.ToString(CultureInfo.InvariantCulture),
            [StepsKey] = StepsDone.ToString(CultureInfo.InvariantCulture),
            [StepsInEpochKey] = StepsInEpoch.ToString(CultureInfo.InvariantCulture),
            [SecondsKey] = TrainSeconds.ToString("R", CultureInfo.InvariantCulture),
            [BestMetricKey] = BestMetric,
            [BestValueKey] = BestValue.ToString("R", CultureInfo.InvariantCulture),
            [BestStepKey] = BestStep.ToString(CultureInfo.InvariantCulture),
            [StoppedKey] = StoppedBy?.ToString() ?? "",
        };
        if (ConfigJson is not null) m[ConfigKey] = ConfigJson;
        return m;
    }

    /// <summary>Reads the metadata; a missing or unreadable number is its default (0, or NaN for the best value).</summary>
    public static CheckpointInfo FromMetadata(IReadOnlyDictionary<string, string> m)
    {
        long Long(string key) => long.TryParse(m.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        double Double(string key, double fallback) =>
            double.TryParse(m.GetValueOrDefault(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        return new CheckpointInfo
        {
            ConfigJson = m.GetValueOrDefault(ConfigKey),
            EpochsDone = (int)Long(EpochsKey),
            StepsDone = Long(StepsKey),
            StepsInEpoch = (int)Long(StepsInEpochKey),
            TrainSeconds = Double(SecondsKey, 0),
            BestMetric = m.GetValueOrDefault(BestMetricKey) ?? "",
            BestValue = Double(BestValueKey, double.NaN),
            BestStep = Long(BestStepKey),
            StoppedBy = Enum.TryParse<StopReason>(m.GetValueOrDefault(StoppedKey), out var s) ? s : null,
        };
    }
}
