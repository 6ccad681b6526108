using System.Text.Json;
using System.Text.Json.Nodes;

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
        if (Checkpoint.ReadInfo(checkpoint).ConfigJson is not { } savedJson) return;
        // Read back through this version (upgraded, defaults filled in), so a setting added since compares as its default.
        var saved = JsonNode.Parse(RunConfig.FromJson(savedJson, $"{checkpoint} (its config)").ToJson())!.AsObject();
        var now = JsonNode.Parse(currentJson)!.AsObject();
        var differences = new List<string>();
        foreach (var (name, value) in now)
        {
            if (mayChange.Contains(name)) continue;
            var before = saved[name];
            if (!JsonNode.DeepEquals(before, value)) differences.Add($"{name} {before?.ToJsonString() ?? "(not set)"} → {value?.ToJsonString()}");
        }
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"{checkpoint} was written by a run with other settings ({string.Join(", ", differences)}). " +
                $"To train with these settings, delete {Path.GetDirectoryName(checkpoint)} or use another output folder; " +
                "to continue that run, use its settings (config.json beside the checkpoints).");
    }
}
