using System.Text;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// Accumulates what a cell wrote to one console stream, the way a terminal would show it:
/// progress bars redraw a line with '\r' thousands of times, and storing every redraw would make the
/// notebook huge, so only the last state of each line is kept. (The live echo to the real console is
/// unaffected; it receives the raw text.)
/// </summary>
internal sealed class StreamText
{
    private readonly StringBuilder _completedLines = new();
    // The current, unterminated line: what follows its last '\r' ...
    private readonly StringBuilder _segment = new();
    // ... and the last non-empty text before that '\r', which is what shows if nothing overwrites it
    // (e.g. "100%\r" at the very end, or a CRLF line ending).
    private string _overwritten = "";

    public void Append(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n':
                    _completedLines.Append(CurrentLine).Append('\n');
                    _segment.Clear();
                    _overwritten = "";
                    break;
                case '\r':
                    if (_segment.Length > 0)
                    {
                        _overwritten = _segment.ToString();
                        _segment.Clear();
                    }
                    break;
                default:
                    _segment.Append(c);
                    break;
            }
        }
    }

    private string CurrentLine => _segment.Length > 0 ? _segment.ToString() : _overwritten;

    public bool IsEmpty => _completedLines.Length == 0 && CurrentLine.Length == 0;

    public override string ToString() => _completedLines + CurrentLine;
}
