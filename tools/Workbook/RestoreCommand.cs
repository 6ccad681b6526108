using System.CommandLine;
using System.Globalization;
using Lib.Evaluation;
using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>
/// `restore IN... -o OUT [--order a|b|c]`: gray → color → ×4 with one of notebook 04's orderings — a. colorize then
/// upscale, b. upscale then colorize, c. the joint model — from that notebook's runs, or from checkpoints given.
/// Without --order, the ordering with the best PSNR in notebook 04's table (evaluation.csv in its folder) is taken; a when there is none.
/// </summary>
public static class RestoreCommand
{
    public const string DefaultOrderings = "results/04-pipeline-orderings/quick";

    private static readonly Dictionary<string, string> Methods = new()
    {
        ["a"] = "a. colorize → upscale", ["b"] = "b. upscale → colorize", ["c"] = "c. joint GAN",
    };

    public static Command Create(TextWriter log)
    {
        var common = new CommonOptions();
        var order = new Option<string?>("--order") { Description = "a: colorize then upscale; b: upscale then colorize; c: the joint model (default: notebook 04's best by PSNR, else a)" };
        order.AcceptOnlyFromAmong("a", "b", "c");
        var runs = new Option<string>("--orderings") { Description = "Notebook 04's output folder, whose runs give the default checkpoints", DefaultValueFactory = _ => DefaultOrderings };
        var colorizer = new Option<string?>("--colorizer") { Description = "The colorizer checkpoint (a: a-colorizer-64, b: b-colorizer-256 of --orderings)" };
        var upscaler = new Option<string?>("--upscaler") { Description = "The upscaler checkpoint (a: a-upscaler-color, b: b-upscaler-gray of --orderings)" };
        var joint = new Option<string?>("--joint") { Description = "The joint model's checkpoint (c: c-joint of --orderings)" };
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
            var key = parsed.GetValue(order) ?? ChooseOrdering(dir, log);
            string Path(Option<string?> given, string run) => parsed.GetValue(given) ?? System.IO.Path.Combine(dir, run);
            var (t, o, r) = (parsed.GetValue(tile), parsed.GetValue(overlap), parsed.GetValue(render));
            var owned = new List<IDisposable>();
            try
            {
                Stage pipeline;
                switch (key)
                {
                    case "a":
                        var c64 = Checkpoints.Load<ColorizationConfig>(Path(colorizer, "a-colorizer-64"), device, "--colorizer", "colorizer");
                        owned.Add(c64);
                        var upColor = Checkpoints.Load<SuperResolutionConfig>(Path(upscaler, "a-upscaler-color"), device, "--upscaler", "superres");
                        owned.Add(upColor);
                        pipeline = Stages.Colorize(c64, r).Then(Stages.Tiled(upColor, t, o));
                        break;
                    case "b":
                        var upGray = Checkpoints.Load<SuperResolutionConfig>(Path(upscaler, "b-upscaler-gray"), device, "--upscaler", "superres");
                        owned.Add(upGray);
                        var c256 = Checkpoints.Load<ColorizationConfig>(Path(colorizer, "b-colorizer-256"), device, "--colorizer", "colorizer");
                        owned.Add(c256);
                        pipeline = Stages.Tiled(upGray, t, o).Then(Stages.Colorize(c256, r));
                        break;
                    default:
                        var j = Checkpoints.Load<JointConfig>(Path(joint, "c-joint"), device, "--joint", "joint");
                        owned.Add(j);
                        pipeline = Stages.Tiled(j, t, o);
                        break;
                }
                if (pipeline.Input != ImageKind.Gray || pipeline.Output != ImageKind.Color)
                    throw new UsageException($"ordering {key} needs a gray → color pipeline but the checkpoints give {pipeline}; check --upscaler (a: a color upscaler, b: a gray one)");
                log.WriteLine($"{Methods[key]}: {pipeline}");
                var runner = new PhotoRunner(log, parsed.GetValue(common.Force));
                return runner.Run(photos, parsed.GetValue(common.Output)!, "restore", (photo, image) => runner.GrayToColor(photo, image, pipeline));
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            finally
            {
                foreach (var d in owned) d.Dispose();
            }
        });
        return command;
    }

    /// <summary>The ordering with the highest PSNR in notebook 04's table, or a when the table is not there.</summary>
    public static string ChooseOrdering(string orderingsDir, TextWriter log)
    {
        var csv = Path.Combine(orderingsDir, "evaluation.csv");
        if (!File.Exists(csv))
        {
            log.WriteLine($"ordering a (colorize then upscale): no notebook 04 table at {csv}; --order b or c picks another");
            return "a";
        }
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var (method, psnr) = (Array.IndexOf(header, "method"), Array.IndexOf(header, Score.Psnr));
        var best = lines.Skip(1).Select(l => l.Split(','))
            .Where(c => method >= 0 && psnr >= 0 && c.Length == header.Length && Methods.ContainsValue(c[method]))
            .Select(c => (key: Methods.First(m => m.Value == c[method]).Key, psnr: double.Parse(c[psnr], CultureInfo.InvariantCulture)))
            .OrderByDescending(x => x.psnr)
            .FirstOrDefault();
        if (best.key is null)
        {
            log.WriteLine($"ordering a (colorize then upscale): {csv} has no PSNR for the orderings");
            return "a";
        }
        log.WriteLine($"ordering {best.key} ({Methods[best.key]}): the best PSNR in {csv} ({best.psnr:0.00} dB); --order picks another");
        return best.key;
    }
}
