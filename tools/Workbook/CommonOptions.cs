using System.CommandLine;
using Lib.Training;

namespace Workbook;

/// <summary>The arguments the photo verbs share; each verb gets its own instances.</summary>
public sealed class CommonOptions
{
    public Argument<string[]> Inputs { get; } = new("inputs") { Arity = ArgumentArity.OneOrMore, Description = "Photos (JPEG, PNG) or folders of photos, searched recursively" };
    public Option<string> Output { get; } = new("--output", "-o") { Required = true, Description = "Output folder; each photo's PNG keeps its path relative to the folder given" };
    public Option<bool> Force { get; } = new("--force") { Description = "Overwrite outputs that already exist" };
    public Option<string> Device { get; } = DeviceOption();
    public Option<string> Precision { get; } = PrecisionOption();

    /// <summary>
    /// --precision: "model" (how the model's run trained: float32 unless it trained with bf16), "float32", or "bf16"
    /// (bfloat16 autocast: about twice as fast for the upscaler on CPUs with AVX512-BF16 or AMX, PSNR within 0.002 dB of
    /// float32 on 90–99 held-out photos; bench/README.md, issue 24).
    /// </summary>
    public static Option<string> PrecisionOption()
    {
        var option = new Option<string>("--precision")
        {
            Description = "Arithmetic of the networks: model (as the model trained; float32 for the shipped ones), float32, or bf16 (bfloat16 autocast: faster on CPUs with AVX512-BF16/AMX and on GPUs, PSNR within 0.002 dB here)",
            DefaultValueFactory = _ => "model",
        };
        option.AcceptOnlyFromAmong("model", "float32", "bf16");
        return option;
    }

    /// <summary>Sets a loaded model's precision as --precision asks ("model" leaves it as its run trained).</summary>
    public static void ApplyPrecision(TrainedStage model, string precision)
    {
        if (precision != "model") model.MixedPrecision = precision == "bf16";
    }

    public static Option<string> DeviceOption()
    {
        var option = new Option<string>("--device") { Description = "Where the networks run: auto (a GPU when there is one), cpu or cuda", DefaultValueFactory = _ => "auto" };
        option.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        return option;
    }

    /// <summary>The device if this machine has it.</summary>
    /// <exception cref="UsageException">--device cuda without a GPU.</exception>
    public static string CheckDevice(string device)
    {
        try { TrainingDevice.Resolve(device); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new UsageException($"--device {device}: {e.Message.Replace("set Device = \"cpu\"", "pass --device cpu")}");
        }
        return device;
    }

    public void AddTo(Command command)
    {
        command.Arguments.Add(Inputs);
        command.Options.Add(Output);
        command.Options.Add(Force);
        command.Options.Add(Device);
        command.Options.Add(Precision);
    }

    public static Option<int> Positive(string name, int fallback, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1 (e.g. {fallback})");
        });
        return option;
    }
}
