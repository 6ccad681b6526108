using System.Globalization;

namespace NotebookRunner;

/// <summary>
/// `NotebookRunner [--no-save] [--timeout-per-cell SECONDS] [--html DIR [--export-only]] &lt;notebook.ipynb | folder&gt;...`
/// Exit codes: 0 all notebooks succeeded, 1 a notebook failed (the rest are not run),
/// 2 bad usage, 130 cancelled with Ctrl+C.
/// </summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int NotebookFailed = 1;
    public const int BadUsage = 2;
    public const int Cancelled = 130;

    public const string Usage =
        "usage: NotebookRunner [--no-save] [--timeout-per-cell SECONDS] [--html DIR [--export-only]] <notebook.ipynb | folder>...\n"
        + "  Runs the C# cells of the notebooks in order and writes their outputs into the .ipynb files.\n"
        + "  A folder means every *.ipynb in it, by name.\n"
        + "  --no-save                   leave the files untouched\n"
        + "  --timeout-per-cell SECONDS  fail a cell that runs longer\n"
        + "  --html DIR                  also export each notebook as one self-contained DIR/NAME.html\n"
        + "  --export-only               with --html: export the notebooks as they are, without running them\n"
        + "exit codes: 0 all succeeded, 1 a notebook failed (later ones are not run), 2 bad usage";

    /// <summary>Runs the command line and returns the process exit code.</summary>
    /// <param name="args">The arguments, as given to Main.</param>
    /// <param name="log">Where usage errors, progress and failures go (the CLI passes stderr).</param>
    /// <param name="ct">Stops the run after saving what has run (Ctrl+C).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log, CancellationToken ct = default)
    {
        if (Parse(args, log) is not { } parsed)
            return BadUsage;
        var (notebooks, options, htmlDir, exportOnly) = parsed;

        var progress = new ProgressLog(log);
        if (exportOnly)
        {
            foreach (var notebook in notebooks)
                progress.Line($"[{Path.GetFileName(notebook)}] exported {Export.NotebookHtml.Export(notebook, htmlDir!)}");
            return Success;
        }
        foreach (var notebook in notebooks)
        {
            var name = Path.GetFileName(notebook);
            NotebookResult result;
            // Cells' own console output must not land at the end of a half-written progress line.
            var stdout = Console.Out;
            var stderr = Console.Error;
            Console.SetOut(progress.Guard(stdout));
            Console.SetError(progress.Guard(stderr));
            try
            {
                result = await NotebookExecutor.RunAsync(notebook, options with
                {
                    CellStarting = cell => progress.Begin($"[{name}] cell {cell.CellNumber}/{cell.CellCount} … "),
                    CellFinished = cell => Report(progress, name, cell),
                }, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                progress.Line($"[{name}] cancelled; outputs so far were {(options.Save ? "saved" : "not saved (--no-save)")}");
                return Cancelled;
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                progress.Line($"{notebook}: {e.Message}");
                return NotebookFailed;
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }

            if (htmlDir is not null && options.Save)
                progress.Line($"[{name}] exported {Export.NotebookHtml.Export(notebook, htmlDir)}");
            if (!result.Succeeded)
            {
                progress.Line(result.Message!);
                if (result.Exception is not (CellCompilationException or null))
                {
                    foreach (var line in CellOutputs.ErrorFormatting.Traceback(result.Exception).Skip(1))
                        progress.Line(line);
                }
                return NotebookFailed;
            }
            progress.Line($"[{name}] ok ({Seconds(result.Elapsed)})");
        }
        return Success;
    }

    private static void Report(ProgressLog progress, string name, CellResult cell)
    {
        var outcome = cell.Status switch
        {
            CellStatus.Succeeded => $"ok ({Seconds(cell.Elapsed)})",
            CellStatus.Failed => $"FAILED ({Seconds(cell.Elapsed)})",
            _ => null,
        };
        if (outcome is not null)
            progress.End($"[{name}] cell {cell.CellNumber}/{cell.CellCount} … ", outcome);
        foreach (var note in cell.Notes)
            progress.Line($"[{name}] cell {cell.CellNumber}/{cell.CellCount}: {note}");
    }

    private static string Seconds(TimeSpan elapsed) =>
        elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static (List<string> Notebooks, RunOptions Options, string? HtmlDir, bool ExportOnly)? Parse(IReadOnlyList<string> args, TextWriter log)
    {
        var options = new RunOptions();
        string? htmlDir = null;
        var exportOnly = false;
        var inputs = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    log.WriteLine(Usage);
                    return null;
                case "--no-save":
                    options = options with { Save = false };
                    break;
                case "--timeout-per-cell":
                    if (i + 1 >= args.Count
                        || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                        || !(seconds > 0) || double.IsInfinity(seconds))
                    {
                        log.WriteLine("NotebookRunner: --timeout-per-cell needs a positive number of seconds");
                        log.WriteLine(Usage);
                        return null;
                    }
                    options = options with { TimeoutPerCell = TimeSpan.FromSeconds(seconds) };
                    i++;
                    break;
                case "--html":
                    if (i + 1 >= args.Count)
                    {
                        log.WriteLine("NotebookRunner: --html needs a folder");
                        log.WriteLine(Usage);
                        return null;
                    }
                    htmlDir = args[++i];
                    break;
                case "--export-only":
                    exportOnly = true;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    log.WriteLine($"NotebookRunner: unknown option {option}");
                    log.WriteLine(Usage);
                    return null;
                default:
                    inputs.Add(args[i]);
                    break;
            }
        }

        if (inputs.Count == 0 || (exportOnly && htmlDir is null))
        {
            log.WriteLine(exportOnly && htmlDir is null ? "NotebookRunner: --export-only needs --html DIR" : Usage);
            return null;
        }

        // Everything is checked before anything runs: a typo in the last argument should not cost
        // an hour of running the first notebooks.
        var notebooks = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.GetFiles(input, "*.ipynb").Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    log.WriteLine($"NotebookRunner: folder {input} holds no .ipynb file");
                    return null;
                }
                notebooks.AddRange(found);
            }
            else if (File.Exists(input))
            {
                if (!input.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                {
                    log.WriteLine($"NotebookRunner: {input} is not an .ipynb notebook");
                    return null;
                }
                notebooks.Add(input);
            }
            else
            {
                log.WriteLine($"NotebookRunner: no such notebook or folder: {input}");
                return null;
            }
        }
        return (notebooks, options, htmlDir, exportOnly);
    }
}
