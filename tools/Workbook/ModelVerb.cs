using System.CommandLine;
using Lib.Pipelines;
using Lib.Torch;
using Lib.Training;

namespace Workbook;

/// <summary>
/// The shape of a verb that runs one trained model on photos (colorize, upscale): the common arguments, --model of one
/// task, the verb's own options; its action loads the model, makes the stage the task runs on photos, and passes each
/// photo through the verb's step.
/// </summary>
public static class ModelVerb
{
    /// <param name="name">The verb, and the word its summary uses ("colorize").</param>
    /// <param name="description">The verb's help line.</param>
    /// <param name="task">The task whose model the verb takes (a checkpoint of another is a usage error).</param>
    /// <param name="modelHelp">The help line of --model.</param>
    /// <param name="options">The verb's own options.</param>
    /// <param name="log">Where progress and the summary go.</param>
    /// <param name="settings">The verb's options as photo settings (render size, tile, overlap).</param>
    /// <param name="step">One photo (C×H×W in [0, 1]) through the stage: (runner, model, stage) → (photo, image) → output image.</param>
    public static Command Create(string name, string description, TrainingTask task, string modelHelp, IReadOnlyList<Option> options,
        Func<ParseResult, PhotoSettings> settings, Func<PhotoRunner, TrainedStage, Stage, Func<InputPhoto, Tensor, Tensor>> step, TextWriter log)
    {
        var common = new CommonOptions();
        var model = new Option<string?>("--model") { Description = $"{modelHelp} (default: the shipped {ShippedModels.RelativePath(task)}, see models/README.md)" };
        var command = new Command(name, description);
        common.AddTo(command);
        command.Options.Add(model);
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.CheckDevice(parsed.GetValue(common.Device)!);
            var photos = InputPhotos.Expand(parsed.GetValue(common.Inputs)!, parsed.GetValue(common.Output));
            using var trained = Checkpoints.Load(parsed.GetValue(model) ?? Checkpoints.Shipped(task, log), device, "--model", task);
            CommonOptions.ApplyPrecision(trained, parsed.GetValue(common.Precision)!);
            var stage = Checkpoints.ForPhotos(trained, settings(parsed)); // wraps the trained stage, which disposes the network
            log.WriteLine($"{stage} on {trained.Device}, {trained.PrecisionName}");
            var runner = new PhotoRunner(log, parsed.GetValue(common.Force));
            return runner.Run(photos, parsed.GetValue(common.Output)!, name, step(runner, trained, stage));
        });
        return command;
    }
}
