using System.CommandLine;
using Lib.Training;

namespace Workbook;

/// <summary>`colorize IN... -o OUT --model CKPT [--render-size N]`: gray photos (or color ones, made gray) in color, at full resolution.</summary>
public static class ColorizeCommand
{
    public static Command Create(TextWriter log)
    {
        var render = new Option<int?>("--render-size") { Description = "Side of the square the network colorizes (default: the scale it trained at, e.g. 256); larger gives finer color, slower" };
        render.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 8) r.AddError("--render-size must be at least 8 (e.g. 256)");
        });
        return ModelVerb.Create("colorize", "Colorize photos of any size: the model's ab, upsampled, with each photo's own full-resolution L",
            TrainingTasks.Colorizer, "A colorizer checkpoint (…/checkpoints/best.safetensors) or its run folder", [render],
            parsed => new PhotoSettings(RenderSize: parsed.GetValue(render)),
            (runner, _, stage) => (photo, image) => runner.GrayToColor(photo, image, stage), log);
    }
}
