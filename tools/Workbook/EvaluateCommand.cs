using System.CommandLine;
using Lib.Evaluation;
using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `evaluate --model CKPT --data DIR`: the workbook's table for one model against its baselines on a folder of photos
/// (ground truth, at their full size, run as the photo verbs run them): a colorizer against the gray photo (ab = 0), an
/// upscaler against bicubic, the joint model against bicubic gray. Markdown on stdout; the CSV beside the checkpoint.
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
        var command = new Command("evaluate", "Score a model and its baselines on a folder of photos: Markdown table on stdout, CSV beside the checkpoint")
            { model, data, csv, render, tile, overlap, device };
        command.SetAction(parsed =>
        {
            var dev = CommonOptions.CheckDevice(parsed.GetValue(device)!);
            var dir = parsed.GetValue(data)!;
            if (!Directory.Exists(dir)) throw new UsageException($"--data {dir}: no such folder (give a folder of photos, e.g. data/demo/photos)");
            var path = parsed.GetValue(model)!;
            using var stage = Checkpoints.Load<RunConfig>(path, dev, "--model", "colorizer");
            var (t, o) = (parsed.GetValue(tile), parsed.GetValue(overlap));
            var scale = stage.Scale;
            EvaluationSet set;
            try { set = EvaluationSet.FromFolder(dir, scale); }
            catch (InvalidDataException e) { throw new UsageException($"--data {dir}: {e.Message}"); }
            using (set)
            {
                var table = new ScoreTable();
                var model = Method.Of(stage.Config is ColorizationConfig ? Stages.Colorize(stage, parsed.GetValue(render)) : Stages.Tiled(stage, t, o), stage.Name);
                switch (stage.Config)
                {
                    case ColorizationConfig:
                        table.Add(Evaluator.Truth(set), Evaluator.Run(Stage.Uncolored, set, MetricSet.Colorization), Evaluator.Run(model, set, MetricSet.Colorization));
                        break;
                    case SuperResolutionConfig:
                        table.Add(Evaluator.Run(Stage.Bicubic(scale, stage.Input), set, MetricSet.SuperResolution), Evaluator.Run(model, set, MetricSet.SuperResolution));
                        break;
                    default:
                        var gray = Method.Of(Stage.Bicubic(scale, ImageKind.Gray).Then(Stage.Uncolored), "baseline: bicubic gray (ab = 0)");
                        table.Add(Evaluator.Truth(set), Evaluator.Run(gray, set), Evaluator.Run(model, set));
                        break;
                }
                output.Write(table.ToMarkdown());
                var file = parsed.GetValue(csv) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path.TrimEnd('/')))!, $"evaluation-{set.Name}.csv");
                File.WriteAllText(file, table.ToCsv());
                log.WriteLine($"{set.Count} photos of {dir}; CSV: {file}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
