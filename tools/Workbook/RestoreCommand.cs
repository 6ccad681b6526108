using System.CommandLine;
using Lib.Imaging;
using Lib.Evaluation;
using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `restore IN... -o OUT [--order a|b|c]`: gray → color → ×4 with one of notebook 04's orderings (<see cref="Orderings"/>) —
/// a. colorize then upscale, b. upscale then colorize, c. the joint model — from that notebook's runs, or from checkpoints
/// given. Without --order, the ordering with the best PSNR in notebook 04's table (evaluation.csv in its folder) is taken; a when there is none,
/// and a's two models are the shipped colorizer and upscaler (models/) where notebook 04 has not trained them.
/// </summary>
public static class RestoreCommand
{
    public const string DefaultOrderings = "results/04-pipeline-orderings/quick";

    public static Command Create(TextWriter log)
    {
        var common = new CommonOptions();
        var order = new Option<string?>("--order") { Description = string.Join("; ", Orderings.All.Select(o => o.Label)) + " (default: notebook 04's best by PSNR, else a)" };
        order.AcceptOnlyFromAmong([.. Orderings.All.Select(o => o.Key)]);
        var runs = new Option<string>("--orderings") { Description = "Notebook 04's output folder, whose runs give the default checkpoints", DefaultValueFactory = _ => DefaultOrderings };
        var colorizer = new Option<string?>("--colorizer") { Description = $"The colorizer checkpoint (a: {Orderings.ColorizerLowRun}, b: {Orderings.ColorizerHighRun} of --orderings)" };
        var upscaler = new Option<string?>("--upscaler") { Description = $"The upscaler checkpoint (a: {Orderings.UpscalerColorRun}, b: {Orderings.UpscalerGrayRun} of --orderings)" };
        var joint = new Option<string?>("--joint") { Description = $"The joint model's checkpoint (c: {Orderings.JointRun} of --orderings)" };
        var render = new Option<int?>("--render-size") { Description = "Side of the square the colorizer sees (default: its training scale)" };
        var tile = CommonOptions.Positive("--tile", 256, "Side of the input tiles of the upscaling step");
        var overlap = new Option<int>("--overlap") { Description = "Input pixels neighbouring tiles share", DefaultValueFactory = _ => 16 };
        var command = new Command("restore", "Old gray photo → color, four times larger: notebook 04's orderings at any size");
        common.AddTo(command);
        foreach (var o in new Option[] { order, runs, colorizer, upscaler, joint, render, tile, overlap }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.CheckDevice(parsed.GetValue(common.Device)!);
            var photos = InputPhotos.Expand(parsed.GetValue(common.Inputs)!, parsed.GetValue(common.Output));
            var dir = parsed.GetValue(runs)!;
            var ordering = Orderings.Get(parsed.GetValue(order) ?? ChooseOrdering(dir, log).Key);
            var settings = new PhotoSettings(parsed.GetValue(render), parsed.GetValue(tile), parsed.GetValue(overlap));
            // The option that may replace a run's checkpoint, by the run's task.
            var given = new Dictionary<TrainingTask, Option<string?>>
            {
                [TrainingTasks.Colorizer] = colorizer, [TrainingTasks.Upscaler] = upscaler, [TrainingTasks.Joint] = joint,
            };
            var owned = new List<IDisposable>();
            try
            {
                var stages = new List<Stage>();
                foreach (var run in ordering.Runs)
                {
                    var task = Orderings.TaskOf(run);
                    var option = given[task];
                    var path = parsed.GetValue(option) ?? Path.Combine(dir, run);
                    // Ordering a runs the shipped colorizer and ×4 upscaler when notebook 04 has not trained its own (a fresh clone).
                    if (parsed.GetValue(option) is null && !Directory.Exists(path) && ordering.Key == "a" && ShippedModels.Find(task) is not null)
                        path = Checkpoints.Shipped(task, log);
                    var model = Checkpoints.Load(path, device, option.Name, task);
                    owned.Add(model);
                    CommonOptions.ApplyPrecision(model, parsed.GetValue(common.Precision)!);
                    stages.Add(Checkpoints.ForPhotos(model, settings));
                }
                Stage pipeline;
                try { pipeline = ordering.Compose(stages); }
                catch (ArgumentException e) { throw new UsageException($"{e.Message}; check --upscaler (a: a color upscaler, b: a gray one)"); }
                log.WriteLine($"{ordering.Label}: {pipeline} ({string.Join(", ", owned.OfType<TrainedStage>().Select(m => m.PrecisionName).Distinct())})");
                var runner = new PhotoRunner(log, parsed.GetValue(common.Force));
                return runner.Run(photos, parsed.GetValue(common.Output)!, "restore", (photo, image) => runner.GrayToColor(photo, image, pipeline));
            }
            finally
            {
                foreach (var d in owned) d.Dispose();
            }
        });
        return command;
    }

    /// <summary>The ordering with the highest PSNR in notebook 04's table (read with <see cref="ScoreTable.Load"/>), or a when there is none.</summary>
    public static Ordering ChooseOrdering(string orderingsDir, TextWriter log)
    {
        var csv = Path.Combine(orderingsDir, "evaluation.csv");
        var fallback = Orderings.ColorizeThenUpscale;
        if (!File.Exists(csv))
        {
            log.WriteLine($"ordering {fallback.Key} ({fallback.Label}): no notebook 04 table at {csv}; --order b or c picks another");
            return fallback;
        }
        ScoreTable table;
        try { table = ScoreTable.Load(csv); }
        catch (InvalidDataException e)
        {
            log.WriteLine($"ordering {fallback.Key} ({fallback.Label}): {e.Message}");
            return fallback;
        }
        if (Orderings.BestByPsnr(table) is not var (best, psnr))
        {
            log.WriteLine($"ordering {fallback.Key} ({fallback.Label}): {csv} has no PSNR for the orderings");
            return fallback;
        }
        log.WriteLine($"ordering {best.Key} ({best.Label}): the best PSNR in {csv} ({psnr:0.00} dB); --order picks another");
        return best;
    }
}
