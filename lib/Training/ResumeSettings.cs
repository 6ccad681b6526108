using System.Text.Json;

namespace Lib.Training;

/// <summary>
/// A checkpoint resumes only the run that wrote it. Settings that shape the models, the data or the
/// losses must match; the epoch counts (training longer is resuming), the device and the logging may
/// change (RunConfig.MayChangeOnResume). Without this check a changed setting that renames no weight — a sigmoid dropped, a skip
/// added — would load the old run's weights into a different model without a word.
/// </summary>
internal static class ResumeSettings
{
    /// <summary>Throws, naming each differing setting, when <paramref name="checkpoint"/> was written with other settings.</summary>
    public static void EnsureSame(string checkpoint, RunConfig current)
    {
        var currentJson = current.ToJson();
        var mayChange = current.MayChangeOnResume;
        var meta = Checkpoint.ReadMetadata(checkpoint);
        if (!meta.TryGetValue("config", out var savedJson)) return;
        using var saved = JsonDocument.Parse(savedJson);
        using var now = JsonDocument.Parse(currentJson);
        var differences = new List<string>();
        foreach (var setting in now.RootElement.EnumerateObject())
        {
            if (mayChange.Contains(setting.Name)) continue;
            var before = saved.RootElement.TryGetProperty(setting.Name, out var s) ? s.GetRawText() : "(not set)";
            if (before != setting.Value.GetRawText()) differences.Add($"{setting.Name} {before} → {setting.Value.GetRawText()}");
        }
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"{checkpoint} was written by a run with other settings ({string.Join(", ", differences)}). " +
                $"To train with these settings, delete {Path.GetDirectoryName(checkpoint)} or use another output folder; " +
                "to continue that run, use its settings (config.json beside the checkpoints).");
    }
}
