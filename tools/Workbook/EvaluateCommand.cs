using System.CommandLine;
using Lib.Evaluation;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `evaluate --model CKPT --data DIR`: the workbook's table for one model against its baselines on a folder of photos
/// (ground truth, at their full size, run as the photo verbs run them), with the baselines and scores its task names
/// (<see cref="TrainingTask.Score"/>): a colorizer against the gray photo (ab = 0), an upscaler against bicubic, the joint
/// model against bicubic gray. Markdown on stdout (means ± half their 95 % intervals); the CSV, and each photo's scores, beside the checkpoint.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter log)
    {
        var model = new Option<string>("--model") { Required = true, Description = "A checkpoint (colorizer, superres or joint) or its run folder" };
        var data = new Option<string>("--data") { Required = true, Description = "A folder of ground-truth photos (JPEG, PNG, recursive; *_LR files are the inputs of their *_HR partners)" };
        var csv = new Option<string?>("--csv") { Description = "Where the CSV goes (default: evaluation-DATA.csv beside the checkpoint)" };
        var render = new Option<int?>("--render-size") { Description = "A colorizer's render size (default: its training scale)" };
        var tile = CommonOptions.Positive("--tile", 256, "Tile side for upscaling");
        var overlap = new Option<int>("--overlap") { Description = "Tile overlap", DefaultValueFactory = _ => 16 };
        var device = CommonOptions.DeviceOption();
        var precision = CommonOptions.PrecisionOption();
        var command = new Command("evaluate", "Score a model and its baselines on a folder of photos: Markdown table on stdout, CSV beside the checkpoint")
            { model, data, csv, render, tile, overlap, device, precision };
        command.SetAction(parsed =>
        {
            var dev = CommonOptions.CheckDevice(parsed.GetValue(device)!);
            var dir = parsed.GetValue(data)!;
            if (!Directory.Exists(dir)) throw new UsageException($"--data {dir}: no such folder (give a folder of photos, e.g. data/demo/photos)");
            var path = parsed.GetValue(model)!;
            using var stage = Checkpoints.Load(path, dev, "--model", task: null);
            CommonOptions.ApplyPrecision(stage, parsed.GetValue(precision)!);
            var forPhotos = Checkpoints.ForPhotos(stage, new PhotoSettings(parsed.GetValue(render), parsed.GetValue(tile), parsed.GetValue(overlap)));
            EvaluationSet set;
            try { set = EvaluationSet.FromFolder(dir, stage.Scale); }
            catch (InvalidDataException e) { throw new UsageException($"--data {dir}: {e.Message}"); }
            using (set)
            {
                var table = stage.Task.Score(forPhotos, set, stage.MixedPrecision ? $"{stage.Name}, bf16" : stage.Name);
                output.Write(table.ToMarkdown());
                var file = parsed.GetValue(csv) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path.TrimEnd('/')))!, $"evaluation-{set.Name}.csv");
                File.WriteAllText(file, table.ToCsv());
                var perImage = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file) + "_per_image.csv");
                File.WriteAllText(perImage, table.ToPerImageCsv());
                log.WriteLine($"{set.Count} photos of {dir}; CSV: {file} (each photo's scores: {perImage})");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
