using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using NotebookRunner;
using NotebookRunner.CellOutputs;

namespace WorkbookKernel;

/// <summary>
/// The request handlers of the workbook's C# kernel: kernel_info, execute, is_complete, complete,
/// inspect, history and comm_info on shell; kernel_info, interrupt and shutdown on control. Every
/// request is bracketed by busy and idle status messages on iopub, as front ends expect.
/// </summary>
internal sealed class Kernel
{
    private readonly KernelServer _server;
    private readonly string _folder;
    private readonly ScriptSession _session;
    private readonly StdinReader _stdin;
    private readonly object _runLock = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _running;
    private ExecuteContext? _current;
    private int _executionCount;
    // Execute requests received up to this number are answered "aborted": an error with
    // stop_on_error drops the cells queued behind it, as IPython does ("Run All" stops at the error).
    private long _abortThrough;

    public Kernel(KernelServer server, string folder, TimeSpan stopGracePeriod)
    {
        _server = server;
        _folder = folder;
        // Cells resolve #r "../bin/Lib.dll" against the folder Jupyter started the kernel in: the notebook's.
        _session = new ScriptSession(Path.Combine(folder, "kernel.csx")) { StopGracePeriod = stopGracePeriod };
        _stdin = new StdinReader(server, () => _current);
        server.StdinReceived = _stdin.Received;
    }

    /// <summary>Completes with the exit code once a shutdown request was answered.</summary>
    public Task<int> Exited => _exit.Task;

    public TextReader Stdin => _stdin;

    internal OutputRouter Router => _session.Router;

    public void HandleShell(JupyterMessage request) => WithStatus(request, () =>
    {
        switch (request.MessageType)
        {
            case "kernel_info_request": Reply(Channel.Shell, request, KernelInfo()); break;
            case "execute_request": Execute(request); break;
            case "is_complete_request": Reply(Channel.Shell, request, IsComplete(request)); break;
            case "complete_request": Reply(Channel.Shell, request, Complete(request)); break;
            case "inspect_request":
                Reply(Channel.Shell, request, new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() });
                break;
            case "history_request": Reply(Channel.Shell, request, new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
            case "comm_info_request": Reply(Channel.Shell, request, new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
            // Before protocol 5.4 shutdown also came on shell.
            case "shutdown_request": Shutdown(Channel.Shell, request); break;
            case "comm_open" or "comm_msg" or "comm_close":
                _server.Log($"{request.MessageType}: this kernel has no comms (widgets); ignored");
                break;
            default: _server.Log($"shell: unknown message type {request.MessageType}; ignored"); break;
        }
    });

    public void HandleControl(JupyterMessage request) => WithStatus(request, () =>
    {
        switch (request.MessageType)
        {
            case "kernel_info_request": Reply(Channel.Control, request, KernelInfo()); break;
            case "interrupt_request":
                Interrupt();
                Reply(Channel.Control, request, new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request": Shutdown(Channel.Control, request); break;
            default: _server.Log($"control: unknown message type {request.MessageType}; ignored"); break;
        }
    });

    /// <summary>Trips the running cell's Lib.Notebook.Interrupt.Token (interrupt_request or SIGINT).</summary>
    public void Interrupt()
    {
        lock (_runLock)
        {
            if (_running is null)
                return;
            _server.Log("interrupt: asking the running cell to stop");
            _running.Cancel();
        }
    }

    private void WithStatus(JupyterMessage request, Action handle)
    {
        PublishStatus("busy", request);
        try
        {
            handle();
        }
        finally
        {
            PublishStatus("idle", request);
        }
    }

    public void PublishStatus(string state, JupyterMessage? parent) =>
        _server.Send(Channel.IOPub, JupyterMessage.Create("status", new JsonObject { ["execution_state"] = state }, parent, _server.Session, []));

    private void Reply(Channel channel, JupyterMessage request, JsonObject content) =>
        _server.Send(channel, JupyterMessage.Create(request.MessageType.Replace("_request", "_reply", StringComparison.Ordinal), content, request, _server.Session));

    private JsonObject KernelInfo()
    {
        var version = typeof(Kernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = KernelIdentity.Name,
            ["implementation_version"] = version.Split('+')[0],
            ["language_info"] = KernelIdentity.LanguageInfo(),
            ["banner"] = $"C# {KernelIdentity.LanguageVersion} on .NET {Environment.Version} (Roslyn scripting): the GAN workbook's kernel. "
                + "display(value, mimeTypes), HTML(html); interrupt stops cells that poll Lib.Notebook.Interrupt.Token.",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }

    private JsonObject IsComplete(JupyterMessage request)
    {
        var code = (string?)request.Content["code"] ?? "";
        return ScriptSession.IsCompleteSubmission(code)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
    }

    private JsonObject Complete(JupyterMessage request)
    {
        var code = (string?)request.Content["code"] ?? "";
        var cursor = (int?)request.Content["cursor_pos"] ?? code.Length;
        // The protocol counts positions in Unicode code points, .NET strings in UTF-16 units.
        var result = _session.Complete(code, CodePoints.ToUtf16(code, cursor));
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(result.Matches.Select(m => (JsonNode?)m).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, result.Start),
            ["cursor_end"] = CodePoints.FromUtf16(code, result.End),
            ["metadata"] = new JsonObject(),
        };
    }

    private void Execute(JupyterMessage request)
    {
        if (request.Sequence <= Interlocked.Read(ref _abortThrough))
        {
            _server.Log("execute_request aborted: an earlier cell failed (stop_on_error)");
            Reply(Channel.Shell, request, new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            return;
        }
        var code = (string?)request.Content["code"] ?? "";
        var silent = (bool?)request.Content["silent"] ?? false;
        var storeHistory = (bool?)request.Content["store_history"] ?? !silent;
        var allowStdin = (bool?)request.Content["allow_stdin"] ?? false;
        if (storeHistory && !silent)
            _executionCount++;
        var count = _executionCount;
        var cellPath = Path.Combine(_folder, $"In[{count}]");

        using var output = new IopubOutput(_server, request);
        if (!silent)
            output.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

        using var stop = new CancellationTokenSource();
        lock (_runLock)
        {
            _running = stop;
            _current = new ExecuteContext(request, allowStdin, stop.Token);
        }
        var sink = new CellOutputSink(output);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var source = CellSource.Parse(code);
            if (source.Error is not null)
                throw new NotSupportedException(source.Error);
            if (source.OtherKernel is not null)
                throw new NotSupportedException($"the cell is for the '{source.OtherKernel}' kernel; this kernel runs C# only");
            foreach (var warning in source.Warnings)
                sink.WriteStream("stderr", $"warning: {warning}\n");
            var value = _session.ExecuteAsync(source.Code, sink, cellPath, null, stop.Token).GetAwaiter().GetResult();
            if (source.Timed)
                sink.Add(new DisplayDataOutput(new MimeBundle().Add("text/plain",
                    $"Wall time: {stopwatch.Elapsed.TotalMilliseconds.ToString("0.####", CultureInfo.InvariantCulture)}ms")));
            if (value is not null and not DisplayedValue && !silent)
            {
                output.Publish("execute_result", new JsonObject
                {
                    ["execution_count"] = count,
                    ["data"] = DisplayFormatting.Format(value, []).ToMessageJson(),
                    ["metadata"] = new JsonObject(),
                });
            }
            output.Flush();
            Reply(Channel.Shell, request, new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["user_expressions"] = new JsonObject(),
                ["payload"] = new JsonArray(),
            });
        }
        catch (Exception caught)
        {
            if ((bool?)request.Content["stop_on_error"] ?? true)
                Interlocked.Exchange(ref _abortThrough, _server.Received);
            var error = CellError.Describe(ScriptSession.Unwrap(caught), cellPath, count, stop.IsCancellationRequested);
            output.Publish("error", error.DeepClone().AsObject());
            error["status"] = "error";
            error["execution_count"] = count;
            Reply(Channel.Shell, request, error);
        }
        finally
        {
            lock (_runLock)
            {
                _running = null;
                _current = null;
            }
        }
    }

    private void Shutdown(Channel channel, JupyterMessage request)
    {
        var restart = (bool?)request.Content["restart"] ?? false;
        _server.Log(restart ? "restart requested: exiting so that the front end starts a fresh kernel" : "shutdown requested");
        Interrupt();
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        var sent = _server.Send(channel, JupyterMessage.Create("shutdown_reply", content, request, _server.Session));
        _server.Send(Channel.IOPub, JupyterMessage.Create("shutdown_reply", content.DeepClone().AsObject(), request, _server.Session, []));
        sent.Wait(TimeSpan.FromSeconds(5));
        _exit.TrySetResult(0);
    }
}
