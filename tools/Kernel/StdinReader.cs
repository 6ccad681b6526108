using System.Text.Json.Nodes;

namespace WorkbookKernel;

/// <summary>
/// Console.In of the cells: Console.ReadLine() sends an input_request on the stdin channel to the
/// front end that sent the running execute request and waits for its input_reply. A front end that
/// takes no input (allow_stdin false, e.g. nbclient) gets an error naming that, instead of a hang.
/// </summary>
internal sealed class StdinReader(KernelServer server, Func<ExecuteContext?> current) : TextReader
{
    private readonly object _lock = new();
    private TaskCompletionSource<string>? _pending;
    private string _buffer = "";

    public override string? ReadLine()
    {
        if (_buffer.Length > 0)
        {
            var rest = _buffer;
            _buffer = "";
            return rest.TrimEnd('\n');
        }
        return Request(prompt: "");
    }

    public override int Read()
    {
        if (_buffer.Length == 0)
            _buffer = Request(prompt: "") + "\n";
        var c = _buffer[0];
        _buffer = _buffer[1..];
        return c;
    }

    public override int Peek() => _buffer.Length > 0 ? _buffer[0] : -1;

    private string Request(string prompt)
    {
        var context = current() ?? throw new InvalidOperationException("Console.ReadLine() was called while no cell is running");
        if (!context.AllowStdin)
            throw new InvalidOperationException("Console.ReadLine(): this front end does not take input (its execute request says allow_stdin: false, as nbclient's do); set the value in the code instead");
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
            _pending = reply;
        server.Send(Channel.Stdin, JupyterMessage.Create("input_request",
            new JsonObject { ["prompt"] = prompt, ["password"] = false }, context.Request, server.Session));
        try
        {
            return reply.Task.WaitAsync(context.Stop).GetAwaiter().GetResult();
        }
        finally
        {
            lock (_lock)
                _pending = null;
        }
    }

    /// <summary>A message on the stdin channel (called on the socket thread).</summary>
    public void Received(JupyterMessage message)
    {
        if (message.MessageType != "input_reply")
        {
            server.Log($"stdin: ignored a {message.MessageType}");
            return;
        }
        lock (_lock)
            _pending?.TrySetResult((string?)message.Content["value"] ?? "");
    }
}

/// <summary>The execute request whose cell is running, for stdin and interrupts.</summary>
internal sealed record ExecuteContext(JupyterMessage Request, bool AllowStdin, CancellationToken Stop);
