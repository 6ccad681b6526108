using System.CommandLine;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `export --model RUN -o FILE`: a trainer's checkpoint cut down to its generator and its run's metadata (config, steps,
/// minutes, best score) — a model file to share, or to ship as models/TASK.safetensors (<see cref="ShippedModels"/>).
/// </summary>
public static class ExportCommand
{
    public static Command Create(TextWriter log)
    {
        var model = new Option<string>("--model") { Required = true, Description = "A checkpoint (…/checkpoints/best.safetensors) or its run folder" };
        var output = new Option<string>("--output", "-o") { Required = true, Description = "The model file to write (e.g. models/upscaler.safetensors)" };
        var set = new Option<string[]>("--set")
        {
            Description = "NAME=VALUE: change an inference setting on the way (a colorizer's ChromaGain or Temperature); repeatable", AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("export", "Write a checkpoint's generator and run metadata alone: a small model file the photo verbs and TrainedStage.Load read") { model, output, set };
        command.SetAction(parsed =>
        {
            var destination = parsed.GetValue(output)!;
            if (Directory.Exists(destination)) throw new UsageException($"-o {destination} is a folder; give the model file to write, e.g. {Path.Combine(destination, "upscaler.safetensors")}");
            using var stage = Checkpoints.Load(parsed.GetValue(model)!, "cpu", "--model", task: null);
            var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
            Directory.CreateDirectory(folder);
            var changes = (parsed.GetValue(set) ?? []).Select(s => s.Split('=', 2) is [var name, var value] && name.Length > 0
                ? (name, value) : throw new UsageException($"--set {s}: give NAME=VALUE, e.g. --set ChromaGain=1.5")).ToList();
            RunConfig Change(RunConfig c)
            {
                foreach (var (name, value) in changes)
                    try { c = c.WithSetting(name, value); }
                    catch (ArgumentException e) { throw new UsageException($"--set {name}={value}: {e.Message}"); }
                return c;
            }
            ShippedModels.Export(stage.CheckpointPath, destination, Change);
            log.WriteLine($"{stage.Task.Name} {stage.Name}: {stage.Info.StepsDone} steps, {stage.Info.TrainSeconds / 60:0.0} min → {destination} ({new FileInfo(destination).Length / 1e6:0.0} MB)" +
                          string.Concat(changes.Select(c => $", {c.name} = {c.value}")));
            return ExitCodes.Success;
        });
        return command;
    }
}
