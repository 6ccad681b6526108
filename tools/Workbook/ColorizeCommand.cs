using System.CommandLine;
using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>`colorize IN... -o OUT --model CKPT [--render-size N]`: gray photos (or color ones, made gray) in color, at full resolution.</summary>
public static class ColorizeCommand
{
    public static Command Create(TextWriter log)
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model") { Required = true, Description = "A colorizer checkpoint (…/checkpoints/best.safetensors) or its run folder" };
        var render = new Option<int?>("--render-size") { Description = "Side of the square the network colorizes (default: the scale it trained at, e.g. 256); larger gives finer color, slower" };
        render.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 8) r.AddError("--render-size must be at least 8 (e.g. 256)");
        });
        var command = new Command("colorize", "Colorize photos of any size: the model's ab, upsampled, with each photo's own full-resolution L");
        common.AddTo(command);
        command.Options.Add(model);
        command.Options.Add(render);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.CheckDevice(parsed.GetValue(common.Device)!);
            var photos = InputPhotos.Expand(parsed.GetValue(common.Inputs)!, parsed.GetValue(common.Output));
            using var colorizer = Checkpoints.Load(parsed.GetValue(model)!, device, "--model", TrainingTasks.Colorizer);
            var stage = Checkpoints.ForPhotos(colorizer, new PhotoSettings(RenderSize: parsed.GetValue(render))); // disposing the colorizer disposes it
            log.WriteLine($"{stage} on {colorizer.Device}");
            var runner = new PhotoRunner(log, parsed.GetValue(common.Force));
            return runner.Run(photos, parsed.GetValue(common.Output)!, "colorize", (photo, image) => runner.GrayToColor(photo, image, stage));
        });
        return command;
    }
}
