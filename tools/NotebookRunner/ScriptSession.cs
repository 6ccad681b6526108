using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// The engine shared by the headless runner and the Jupyter kernel: C# cells compiled with Roslyn
/// scripting as successive submissions of one script, so that variables carry over from cell to cell,
/// with Polyglot's helpers (display, HTML) as globals. One cell runs at a time.
/// </summary>
public sealed class ScriptSession
{
    private readonly ScriptOptions _scriptOptions;
    private readonly ReferenceLoading _references = new();
    private ScriptState<object>? _state;

    /// <param name="notebookPath">The notebook file (or, for a kernel, a file name in its working
    /// folder): `#r` and `#load` paths resolve against its folder and stack traces name it.</param>
    /// <summary>The session whose cell runs now: where an exception escaping a cell's background thread is reported.</summary>
    private static volatile ScriptSession? _running;

    static ScriptSession()
    {
        // A cell's `new Thread(() => throw ...)` would end the process, and the kernel with it: report it and carry on.
        try { System.Runtime.ExceptionServices.ExceptionHandling.SetUnhandledExceptionHandler(ReportBackgroundException); }
        catch (InvalidOperationException) { } // the host set its own
    }

    private static bool ReportBackgroundException(Exception e)
    {
        var text = $"an exception escaped a background thread and was caught, so the kernel stays up (the thread is gone; restart the kernel if its work matters): {e.GetType().FullName}: {e.Message}\n";
        if (_running?.Router.Current is { } sink) sink.WriteStream("stderr", text);
        else Console.Error.Write(text);
        return true;
    }

    public ScriptSession(string notebookPath)
    {
        FormatterRegistry.Install();
        _scriptOptions = ScriptEnvironment.For(Path.GetFullPath(notebookPath));
        Globals = new NotebookGlobals(Router);
        // A library's progress line (Lib.Notebook.LiveText) becomes a display of the running cell, updated in place.
        AppContext.SetData(HostContract.DisplayKey, (Func<string, Action<string>>)(text =>
        {
            var shown = Globals.display(text);
            return updated => shown.Update(updated);
        }));
    }

    internal OutputRouter Router { get; } = new();

    public NotebookGlobals Globals { get; }

    /// <summary>How long a cell asked to stop (interrupt, Ctrl+C, timeout) may take to notice
    /// <c>Lib.Notebook.Interrupt.Token</c> before it is given up on.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Compiles and runs one cell as the next submission, its outputs going to <paramref name="sink"/>.
    /// Returns the cell's value (null for none). Throws <see cref="CellCompilationException"/> when
    /// it does not compile, whatever the cell's code throws (an <see cref="OperationCanceledException"/>
    /// when it stopped on request), <see cref="TimeoutException"/> after <paramref name="timeout"/>, and
    /// <see cref="CellAbandonedException"/> when it was asked to stop and did not within
    /// <see cref="StopGracePeriod"/>: .NET cannot abort a thread, so its code runs on in the background.
    /// </summary>
    /// <param name="code">The cell's C# (magic commands already taken out).</param>
    /// <param name="sink">Where the cell's console text and displays go.</param>
    /// <param name="cellFilePath">How stack traces name the cell; null: the notebook's path.</param>
    /// <param name="timeout">Asks the cell to stop after this long; null: no limit.</param>
    /// <param name="stop">Trips <c>Lib.Notebook.Interrupt.Token</c> for the cell.</param>
    internal async Task<object?> ExecuteAsync(string code, CellOutputSink sink, string? cellFilePath, TimeSpan? timeout, CancellationToken stop)
    {
        var options = cellFilePath is null ? _scriptOptions : _scriptOptions.WithFilePath(cellFilePath);
        var script = _state is null
            ? CSharpScript.Create(code, options, typeof(NotebookGlobals), _references.Loader)
            : _state.Script.ContinueWith(code, options);

        // Compiling separately (rather than ContinueWithAsync, which does both) tells a compile error
        // apart from an exception the cell's own code throws.
        var errors = script.Compile(stop).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new CellCompilationException(errors);
        _references.Load(script.GetCompilation());

        using var cellStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (timeout is { } limit)
            cellStop.CancelAfter(limit);
        Router.Current = sink;
        _running = this;
        AppContext.SetData(HostContract.InterruptTokenKey, cellStop.Token);
        try
        {
            // Off the caller's thread: a cell that computes for minutes would otherwise hold it, and
            // neither a timeout nor an interrupt could be noticed until it returned. Roslyn checks the
            // token only between submissions; the cell's own loops check Interrupt.Token.
            var previous = _state;
            var run = Task.Run(() => previous is null
                ? script.RunAsync(Globals, cancellationToken: cellStop.Token)
                : script.RunFromAsync(previous, cancellationToken: cellStop.Token));

            var asked = Task.Delay(Timeout.Infinite, cellStop.Token);
            if (await Task.WhenAny(run, asked).ConfigureAwait(false) != run
                && await Task.WhenAny(run, Task.Delay(StopGracePeriod)).ConfigureAwait(false) != run)
            {
                var why = stop.IsCancellationRequested ? "was asked to stop"
                    : $"did not finish within {Seconds(timeout!.Value)} s";
                var message = $"the cell {why} and did not stop within {Seconds(StopGracePeriod)} s: its code does not poll "
                    + "Lib.Notebook.Interrupt.Token and .NET cannot abort it, so it keeps running in the background "
                    + "and may still change variables and print; restart the kernel to stop it";
                throw stop.IsCancellationRequested ? new CellAbandonedException(message) : new TimeoutException(message);
            }
            try
            {
                _state = await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cellStop.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                throw new TimeoutException($"the cell did not finish within {Seconds(timeout!.Value)} s and stopped at Lib.Notebook.Interrupt.Token");
            }
            return _state.ReturnValue;
        }
        finally
        {
            AppContext.SetData(HostContract.InterruptTokenKey, CancellationToken.None);
        }
    }

    /// <summary>Whether the code is a whole submission (Enter in a console runs it) or needs more lines.</summary>
    public static bool IsCompleteSubmission(string code) =>
        SyntaxFactory.IsCompleteSubmission(SyntaxFactory.ParseSyntaxTree(code, ScriptEnvironment.ParseOptions));

    /// <summary>Completions at <paramref name="position"/> (a UTF-16 index into <paramref name="code"/>),
    /// in the context of everything run so far.</summary>
    public CompletionResult Complete(string code, int position)
    {
        var script = _state is null
            ? CSharpScript.Create(code, _scriptOptions, typeof(NotebookGlobals), _references.Loader)
            : _state.Script.ContinueWith(code, _scriptOptions);
        return ScriptCompletion.Complete(script.GetCompilation(), code, position);
    }

    /// <summary>Where the last run left the script (a restart makes a new session).</summary>
    internal bool HasRun => _state is not null;

    internal static Exception Unwrap(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => e,
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// A cell was asked to stop and did not within the grace period; its code still runs in the
/// background (.NET has no thread abort), so the session's variables may still change.
/// </summary>
public sealed class CellAbandonedException(string message) : Exception(message);
