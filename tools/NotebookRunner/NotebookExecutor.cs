using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// Runs the C# code cells of a .NET Interactive (Polyglot) notebook in order, in one Roslyn script
/// state so that variables carry over from cell to cell as in the real kernel, and writes the
/// outputs back into the .ipynb.
/// </summary>
public sealed class NotebookExecutor
{
    // The console and the current directory belong to the process, so two notebooks cannot run at
    // the same time in one process without mixing their outputs.
    private static readonly SemaphoreSlim OneRunAtATime = new(1, 1);

    private readonly string _fullPath;
    private readonly string _displayName;
    private readonly RunOptions _options;
    private readonly NotebookDocument _document;
    private readonly ScriptSession _session;
    // Outputs become JSON only when the file is saved, because a DisplayedValue may still update an
    // earlier cell's output from a later cell.
    private readonly List<(NotebookCell Cell, CellOutputSink Sink, int ExecutionCount)> _executedCells = [];

    private NotebookExecutor(string ipynbPath, RunOptions options)
    {
        _fullPath = Path.GetFullPath(ipynbPath);
        _displayName = options.DisplayName ?? ipynbPath;
        _options = options;
        _document = NotebookDocument.Load(_fullPath);
        _session = new ScriptSession(_fullPath) { StopGracePeriod = options.StopGracePeriod };
    }

    /// <summary>
    /// Runs every C# code cell of the notebook, stopping at the first that fails to compile, throws
    /// or times out. Markdown, raw and other kernels' cells are skipped. Unless
    /// <see cref="RunOptions.Save"/> is false the outputs are then written into the file, including
    /// the failing cell's error. A failing cell is reported in the result, not thrown; exceptions
    /// are for a missing or malformed file, and cancellation.
    /// </summary>
    /// <exception cref="FileNotFoundException">The notebook does not exist.</exception>
    /// <exception cref="FormatException">The file is not an nbformat 4 notebook.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (outputs so far are saved first).</exception>
    public static async Task<NotebookResult> RunAsync(string ipynbPath, RunOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ipynbPath);
        if (!File.Exists(ipynbPath))
            throw new FileNotFoundException($"notebook not found: {ipynbPath}", ipynbPath);
        var executor = new NotebookExecutor(ipynbPath, options ?? new RunOptions());

        await OneRunAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await executor.RunAllAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            OneRunAtATime.Release();
        }
    }

    private async Task<NotebookResult> RunAllAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var cells = _document.Cells;
        var results = new List<CellResult>(cells.Count);
        CellFailure? failure = null;
        int codeCellNumber = 0;
        int executionCount = 0;

        var previousDirectory = Environment.CurrentDirectory;
        try
        {
            using (new ConsoleCapture(_session.Router, _options.EchoOutput))
            {
                // Polyglot runs a notebook with its folder as the current directory; notebooks
                // rely on it for relative data paths.
                Environment.CurrentDirectory = Path.GetDirectoryName(_fullPath)!;

                for (int index = 0; index < cells.Count && !ct.IsCancellationRequested; index++)
                {
                    var cell = cells[index];
                    int cellNumber = index + 1;
                    if (cell.CellType != "code")
                    {
                        results.Add(Report(new CellResult(cellNumber, cells.Count, cell.CellType, null, CellStatus.Skipped, TimeSpan.Zero, [])));
                        continue;
                    }

                    codeCellNumber++;
                    var source = CellSource.Parse(cell.Source);
                    if (!IsCSharp(cell, source))
                    {
                        var kernel = source.OtherKernel ?? cell.KernelName ?? _document.DefaultKernelName;
                        string note = $"skipped: the cell is for the '{kernel}' kernel; NotebookRunner runs C# only";
                        results.Add(Report(new CellResult(cellNumber, cells.Count, "code", codeCellNumber, CellStatus.Skipped, TimeSpan.Zero, [note])));
                        continue;
                    }

                    if (failure is not null)
                    {
                        // Clear what an earlier run left, so that the file does not mix two runs.
                        cell.SetOutputs([], null);
                        results.Add(Report(new CellResult(cellNumber, cells.Count, "code", codeCellNumber, CellStatus.NotRun, TimeSpan.Zero, [])));
                        continue;
                    }

                    _options.CellStarting?.Invoke(new CellStart(cellNumber, cells.Count, codeCellNumber));
                    var (result, cellFailure) = await RunCellAsync(cell, source, cellNumber, codeCellNumber, ++executionCount, ct).ConfigureAwait(false);
                    failure = cellFailure;
                    results.Add(Report(result));
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            if (_options.Save)
            {
                // The record shows paths relative to the repository, not the executing machine's.
                var root = RepositoryRoot(Path.GetDirectoryName(_fullPath)!);
                foreach (var executed in _executedCells)
                    executed.Cell.SetOutputs(OutputPaths.MakeRelative(executed.Sink.ToJson(), root), executed.ExecutionCount);
                _document.AddKernelMetadata();
                _document.AddCellIds();
                _document.Save(_fullPath);
            }
        }

        ct.ThrowIfCancellationRequested();
        return new NotebookResult
        {
            NotebookPath = _displayName,
            Cells = results,
            Elapsed = stopwatch.Elapsed,
            FailedCellNumber = failure?.CellNumber,
            FailedCodeCellNumber = failure?.CodeCellNumber,
            Exception = failure?.Exception,
            Message = failure?.Message,
        };
    }

    private CellResult Report(CellResult result)
    {
        _options.CellFinished?.Invoke(result);
        return result;
    }

    private async Task<(CellResult Result, CellFailure? Failure)> RunCellAsync(
        NotebookCell cell, CellSource source, int cellNumber, int codeCellNumber, int executionCount, CancellationToken ct)
    {
        cell.AddCSharpMetadata();
        var sink = new CellOutputSink();
        var stopwatch = Stopwatch.StartNew();
        Exception? exception = null;
        try
        {
            if (source.Error is not null)
                throw new NotSupportedException(source.Error);
            var returnValue = await _session.ExecuteAsync(source.Code, sink, null, _options.TimeoutPerCell, ct).ConfigureAwait(false);
            if (returnValue is not null and not DisplayedValue)
                sink.Add(new ExecuteResultOutput(DisplayFormatting.Format(returnValue, []), executionCount));
        }
        catch (Exception e) when (e is OperationCanceledException or CellAbandonedException && ct.IsCancellationRequested)
        {
            exception = new OperationCanceledException("the run was cancelled while this cell was running", ct);
        }
        catch (Exception e)
        {
            exception = ScriptSession.Unwrap(e);
        }
        stopwatch.Stop();

        if (source.Timed)
        {
            // What Polyglot's #!time prints.
            sink.Add(new DisplayDataOutput(new MimeBundle().Add("text/plain",
                $"Wall time: {stopwatch.Elapsed.TotalMilliseconds.ToString("0.####", CultureInfo.InvariantCulture)}ms")));
        }

        CellFailure? failure = null;
        if (exception is not null)
        {
            sink.Add(ErrorFormatting.ToOutput(exception));
            failure = new CellFailure(cellNumber, codeCellNumber, exception, ErrorFormatting.Message(_displayName, cellNumber, codeCellNumber, exception));
        }

        _executedCells.Add((cell, sink, executionCount));
        var status = exception is null ? CellStatus.Succeeded : CellStatus.Failed;
        return (new CellResult(cellNumber, _document.Cells.Count, "code", codeCellNumber, status, stopwatch.Elapsed, source.Warnings, sink.HasOutput), failure);
    }

    private bool IsCSharp(NotebookCell cell, CellSource source)
    {
        // A `#!kernel` first line wins over the metadata, as in Polyglot.
        if (source.OtherKernel is not null)
            return false;
        if (source.SelectsCSharp)
            return true;
        var kernel = cell.KernelName ?? _document.DefaultKernelName ?? "csharp";
        return kernel.Equals("csharp", StringComparison.OrdinalIgnoreCase)
            || kernel.Equals("c#", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The nearest folder above the notebook holding .git (a clone or a worktree), else the notebook's folder.</summary>
    private static string RepositoryRoot(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return folder;
    }

    private sealed record CellFailure(int CellNumber, int CodeCellNumber, Exception Exception, string Message);
}
