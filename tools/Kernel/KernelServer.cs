using System.Collections.Concurrent;
using NetMQ;
using NetMQ.Sockets;

namespace WorkbookKernel;

/// <summary>Which socket a message goes out on.</summary>
internal enum Channel { Shell, Control, Stdin, IOPub }

/// <summary>
/// The kernel's five ZeroMQ sockets. NetMQ sockets are not thread-safe, so one poller thread owns them
/// all: it receives, checks signatures and hands requests to the shell and control workers, answers the
/// heartbeat, and sends what any thread queued with <see cref="Send"/>. Shell requests run one at a time
/// on their own thread (a cell may run for hours); control requests (interrupt, shutdown) on another, so
/// that they are heard while a cell runs.
/// </summary>
internal sealed class KernelServer : IDisposable
{
    private readonly ConnectionInfo _connection;
    private readonly TextWriter _log;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<(Channel Channel, JupyterMessage Message, TaskCompletionSource? Sent)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly BlockingCollection<JupyterMessage> _shellRequests = new();
    private readonly BlockingCollection<JupyterMessage> _controlRequests = new();

    public KernelServer(ConnectionInfo connection, TextWriter log)
    {
        _connection = connection;
        _log = log;
        Signer = new MessageSigner(connection.Key);
        _poller = [_shell, _control, _stdin, _heartbeat, _outgoing];
        _shell.ReceiveReady += (_, e) => Receive(Channel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => Receive(Channel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => Receive(Channel.Stdin, e.Socket);
        _heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
        _outgoing.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
            {
                var socket = item.Channel switch
                {
                    Channel.Shell => (NetMQSocket)_shell,
                    Channel.Control => _control,
                    Channel.Stdin => _stdin,
                    _ => _iopub,
                };
                var frames = item.Message.ToFrames(Signer);
                if (item.Channel == Channel.IOPub)
                    frames.Insert(0, System.Text.Encoding.UTF8.GetBytes($"kernel.{Session}.{item.Message.MessageType}"));
                socket.SendMultipartBytes(frames);
                item.Sent?.TrySetResult();
            }
        };
    }

    public MessageSigner Signer { get; }

    /// <summary>How many messages have been received so far (each gets the next number).</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>The kernel's own session id, in every header it writes.</summary>
    public string Session { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Called on the stdin channel's messages (input_reply), on the poller thread.</summary>
    public Action<JupyterMessage>? StdinReceived { get; set; }

    public void Start(Action<JupyterMessage> onShell, Action<JupyterMessage> onControl)
    {
        _shell.Bind(_connection.Address(_connection.ShellPort));
        _control.Bind(_connection.Address(_connection.ControlPort));
        _stdin.Bind(_connection.Address(_connection.StdinPort));
        _iopub.Bind(_connection.Address(_connection.IopubPort));
        _heartbeat.Bind(_connection.Address(_connection.HeartbeatPort));
        _poller.RunAsync("kernel sockets");
        Worker("shell", _shellRequests, onShell);
        Worker("control", _controlRequests, onControl);
    }

    private void Worker(string name, BlockingCollection<JupyterMessage> requests, Action<JupyterMessage> handle)
    {
        var thread = new Thread(() =>
        {
            foreach (var request in requests.GetConsumingEnumerable())
            {
                try
                {
                    handle(request);
                }
                catch (Exception e)
                {
                    Log($"{name}: {request.MessageType} failed: {e}");
                }
            }
        })
        { IsBackground = true, Name = $"kernel {name}" };
        thread.Start();
    }

    private void Receive(Channel channel, NetMQSocket socket)
    {
        var frames = socket.ReceiveMultipartBytes();
        JupyterMessage message;
        try
        {
            message = JupyterMessage.Parse(frames, Signer, Interlocked.Increment(ref _received));
        }
        catch (SignatureException e)
        {
            Log($"dropped a message on {channel.ToString().ToLowerInvariant()}: {e.Message}");
            return;
        }
        catch (FormatException e)
        {
            Log($"dropped a malformed message on {channel.ToString().ToLowerInvariant()}: {e.Message}");
            return;
        }
        switch (channel)
        {
            case Channel.Shell: _shellRequests.Add(message); break;
            case Channel.Control: _controlRequests.Add(message); break;
            default: StdinReceived?.Invoke(message); break;
        }
    }

    /// <summary>Queues a message; any thread may call it. The task completes once it is on the wire.</summary>
    public Task Send(Channel channel, JupyterMessage message)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outgoing.Enqueue((channel, message, sent));
        return sent.Task;
    }

    public void Log(string line) => _log.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] kernel: {line}");

    public void Dispose()
    {
        _shellRequests.CompleteAdding();
        _controlRequests.CompleteAdding();
        _poller.Stop();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Dispose();
        }
        _outgoing.Dispose();
    }
}
