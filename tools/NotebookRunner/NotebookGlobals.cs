using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// The object whose members every cell can call without qualification: the helpers Polyglot's C#
/// kernel provides (through `using static Microsoft.DotNet.Interactive.Kernel`), with the same
/// names and signatures, so that one notebook runs unchanged in VS Code and in this runner.
/// The lowercase `display` is Polyglot's spelling.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly OutputRouter _router;

    internal NotebookGlobals(OutputRouter router) => _router = router;

    /// <summary>
    /// Shows a value as a display_data output of the running cell. With no MIME types the
    /// representation follows the value's type (string → text/plain, HTML(...) → text/html,
    /// a sequence → a table); with MIME types a string is stored verbatim under each of them
    /// (base64 for image/png, or pass a byte[]).
    /// </summary>
    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var types = (mimeTypes ?? []).ToArray();
        var output = new DisplayDataOutput(DisplayFormatting.Format(value, types));
        var sink = _router.Current
            ?? throw new InvalidOperationException("display(...) was called while no cell is running");
        sink.Add(output);
        return new DisplayedValue(output, types, _router, sink.Listener);
    }

    /// <summary>
    /// Wraps HTML so that it is shown as text/html. Like Polyglot's HTML(...), this displays
    /// nothing by itself: pass it to display(...) or make it the cell's last expression.
    /// </summary>
    public HtmlContent HTML(string html) => new(html);
}
