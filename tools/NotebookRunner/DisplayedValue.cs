using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// Returned by <see cref="NotebookGlobals.display"/>, as in Polyglot: keep it to replace the shown
/// value later (a progress line, a chart redrawn each epoch) instead of appending new outputs.
/// </summary>
public sealed class DisplayedValue
{
    private readonly DisplayDataOutput _output;
    private readonly OutputRouter _router;
    private readonly ICellOutputListener? _listener;

    internal DisplayedValue(DisplayDataOutput output, IReadOnlyList<string> mimeTypes, OutputRouter router, ICellOutputListener? listener)
    {
        _output = output;
        _router = router;
        _listener = listener;
        MimeTypes = mimeTypes;
    }

    /// <summary>Identifies the output; unique within the process.</summary>
    public string DisplayId => _output.DisplayId;

    /// <summary>The MIME types given to display(...); empty means "chosen from the value's type".</summary>
    public IReadOnlyCollection<string> MimeTypes { get; }

    /// <summary>Replaces the output's data in place, formatted with the same MIME types as before.</summary>
    public void Update(object? value)
    {
        var data = DisplayFormatting.Format(value, (IReadOnlyList<string>)MimeTypes);
        _output.Data = data;
        // A live front end is told through whoever listens now (an update from a later cell belongs
        // to that cell's request), else through the listener of the cell that displayed it.
        (_router.Current?.Listener ?? _listener)?.OnDisplayUpdate(data.ToMessageJson(), DisplayId);
    }
}
