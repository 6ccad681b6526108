using System.CommandLine;
using Lib.Torch;

namespace Workbook;

/// <summary>The command line: verbs for people's own photos (colorize, upscale, restore) and for models (train, evaluate).</summary>
public static class Cli
{
    public static RootCommand Build(TextWriter output, TextWriter log) => new("The GAN colorization and super-resolution workbook, on your own photos")
    {
        ColorizeCommand.Create(log),
        UpscaleCommand.Create(log),
        RestoreCommand.Create(log),
        TrainCommand.Create(output),
        EvaluateCommand.Create(output, log),
        ExportCommand.Create(log),
    };

    /// <summary>Runs the command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter log)
    {
        var parsed = Build(output, log).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) log.WriteLine(e.Message);
            log.WriteLine("(--help lists the arguments)");
            return ExitCodes.BadUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = log, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            log.WriteLine(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (OutputFailedException e)
        {
            log.WriteLine(e.Message);
            return ExitCodes.OutputFailed;
        }
        catch (DiskFullException e)
        {
            log.WriteLine(e.Message);
            return ExitCodes.OutputFailed;
        }
        catch (TorchException e)
        {
            log.WriteLine($"libtorch: {e.Message}");
            return ExitCodes.NothingProcessed;
        }
    }
}
