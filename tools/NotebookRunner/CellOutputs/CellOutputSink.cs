using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// Collects one code cell's outputs in the order they happened, so that console text and displays
/// interleave as in the notebook UI. Thread-safe: cells may write from Parallel.For or tasks.
/// </summary>
internal sealed class CellOutputSink(ICellOutputListener? listener = null)
{
    /// <summary>The most console text a cell keeps (2 MB): a cell that prints without end must not swamp the front end and the saved notebook.</summary>
    public const int MaxStreamChars = 2_000_000;

    private readonly object _lock = new();
    private readonly List<CellOutput> _outputs = [];
    private long _streamChars;
    private bool _truncated;

    /// <summary>Who hears outputs live, if anyone (the kernel).</summary>
    public ICellOutputListener? Listener { get; } = listener;

    public bool HasOutput
    {
        get { lock (_lock) return _outputs.Count > 0; }
    }

    /// <summary>Consecutive writes to the same stream merge into one output, as in Jupyter.</summary>
    public void WriteStream(string name, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return;
        string? note = null;
        lock (_lock)
        {
            var room = MaxStreamChars - _streamChars;
            _streamChars += text.Length;
            if (_truncated)
                return;
            if (text.Length > room)
            {
                text = text[..(int)Math.Max(0, room)];
                note = $"\n[output truncated: this cell printed more than {MaxStreamChars / 1e6:0.#} MB of text; the rest is not shown or saved]\n";
                _truncated = true;
            }
            if (_outputs.LastOrDefault() is not StreamOutput stream || stream.Name != name)
            {
                stream = new StreamOutput(name);
                _outputs.Add(stream);
            }
            stream.Text.Append(text);
            if (note is not null) stream.Text.Append(note);
        }
        Listener?.OnStream(name, note is null ? text.ToString() : text.ToString() + note);
    }

    public void Add(CellOutput output)
    {
        lock (_lock)
            _outputs.Add(output);
        if (output is DisplayDataOutput display)
            Listener?.OnDisplay(display.Data.ToMessageJson(), display.DisplayId);
    }

    public JsonArray ToJson()
    {
        lock (_lock)
        {
            return new JsonArray(_outputs
                // A stream reduced to nothing by '\r' handling would only be noise.
                .Where(output => output is not StreamOutput { Text.IsEmpty: true })
                .Select(output => (JsonNode?)output.ToJson())
                .ToArray());
        }
    }
}

/// <summary>
/// Where console text and displays go right now: the sink of the cell that started last. Output
/// from background work that outlives its cell therefore lands in the cell that is running when it
/// is written, which is also what the notebook UI does.
/// </summary>
internal sealed class OutputRouter
{
    private volatile CellOutputSink? _current;

    public CellOutputSink? Current
    {
        get => _current;
        set => _current = value;
    }
}
