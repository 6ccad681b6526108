using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// Returned by <see cref="NotebookGlobals.display"/>, as in Polyglot: keep it to replace the shown
/// value later (a progress line, a chart redrawn each epoch) instead of appending new outputs.
/// </summary>
public sealed class DisplayedValue
{
    private readonly DisplayDataOutput _output;

    internal DisplayedValue(DisplayDataOutput output, IReadOnlyList<string> mimeTypes)
    {
        _output = output;
        MimeTypes = mimeTypes;
    }

    /// <summary>Identifies the output; unique within the process.</summary>
    public string DisplayId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The MIME types given to display(...); empty means "chosen from the value's type".</summary>
    public IReadOnlyCollection<string> MimeTypes { get; }

    /// <summary>Replaces the output's data in place, formatted with the same MIME types as before.</summary>
    public void Update(object? value) =>
        _output.Data = DisplayFormatting.Format(value, (IReadOnlyList<string>)MimeTypes);
}
