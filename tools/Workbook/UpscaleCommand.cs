using System.CommandLine;
using Lib.Imaging;
using Lib.Pipelines;
using Lib.Training;

namespace Workbook;

/// <summary>`upscale IN... -o OUT --model CKPT [--tile 256 --overlap 16]`: ×Scale in overlapping, blended tiles.</summary>
public static class UpscaleCommand
{
    public static Command Create(TextWriter log)
    {
        var tile = CommonOptions.Positive("--tile", 256, "Side of the input tiles: memory is bounded by the tile, not the photo");
        var overlap = new Option<int>("--overlap") { Description = "Input pixels neighbouring tiles share, blended without seams", DefaultValueFactory = _ => 16 };
        overlap.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--overlap must not be negative (e.g. 16)");
        });
        return ModelVerb.Create("upscale", "Upscale photos of any size through overlapping tiles with feathered blending",
            TrainingTasks.Upscaler, "A super-resolution checkpoint (…/srresnet/checkpoints/best.safetensors) or its run folder", [tile, overlap],
            parsed => new PhotoSettings(Tile: parsed.GetValue(tile), Overlap: parsed.GetValue(overlap)),
            (runner, upscaler, stage) => (photo, image) =>
            {
                if (stage.Input == ImageKind.Gray && image.size(0) >= 3)
                    runner.NoteOnce("color", $"{photo.Path} is a color photo but {upscaler.Name} upscales gray ones: color photos are converted to gray first");
                using var input = PhotoTensors.to_stage_input(image, stage.Input);
                using var output = stage.call(input);
                return PhotoTensors.to_image(output, stage.Output);
            }, log);
    }
}
