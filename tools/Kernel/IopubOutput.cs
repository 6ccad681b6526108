using System.Text;
using System.Text.Json.Nodes;
using NotebookRunner.CellOutputs;

namespace WorkbookKernel;

/// <summary>
/// Sends one execute request's outputs to the front end as they happen. Console text is batched
/// (every 50 ms), as ipykernel does: a training loop's progress line redrawn with '\r' a thousand times
/// a second would otherwise be a thousand messages. Pending text is flushed before any display, so
/// the order the cell produced them in is kept.
/// </summary>
internal sealed class IopubOutput : ICellOutputListener, IDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(50);
    private readonly KernelServer _server;
    private readonly JupyterMessage _request;
    private readonly List<(string Name, StringBuilder Text)> _pending = [];
    private readonly object _lock = new();
    private readonly Timer _timer;
    private bool _timerArmed;

    public IopubOutput(KernelServer server, JupyterMessage request)
    {
        _server = server;
        _request = request;
        _timer = new Timer(_ => Flush());
    }

    public void OnStream(string name, string text)
    {
        lock (_lock)
        {
            if (_pending.Count == 0 || _pending[^1].Name != name)
                _pending.Add((name, new StringBuilder()));
            _pending[^1].Text.Append(text);
            if (!_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(FlushEvery, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void OnDisplay(JsonObject data, string displayId) => SendDisplay("display_data", data, displayId);

    public void OnDisplayUpdate(JsonObject data, string displayId) => SendDisplay("update_display_data", data, displayId);

    private void SendDisplay(string type, JsonObject data, string displayId)
    {
        lock (_lock)
        {
            FlushLocked();
            Publish(type, new JsonObject
            {
                ["data"] = data,
                ["metadata"] = new JsonObject(),
                ["transient"] = new JsonObject { ["display_id"] = displayId },
            });
        }
    }

    /// <summary>Sends the console text written so far.</summary>
    public void Flush()
    {
        lock (_lock)
            FlushLocked();
    }

    /// <summary>Publishes an iopub message about this request, after any pending console text.</summary>
    public void Publish(string type, JsonObject content)
    {
        lock (_lock)
        {
            FlushLocked();
            _server.Send(Channel.IOPub, JupyterMessage.Create(type, content, _request, _server.Session, []));
        }
    }

    private void FlushLocked()
    {
        _timerArmed = false;
        foreach (var (name, text) in _pending)
            _server.Send(Channel.IOPub, JupyterMessage.Create("stream", new JsonObject { ["name"] = name, ["text"] = text.ToString() }, _request, _server.Session, []));
        _pending.Clear();
    }

    public void Dispose()
    {
        Flush();
        _timer.Dispose();
    }
}
