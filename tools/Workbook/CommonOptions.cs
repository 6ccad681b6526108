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
