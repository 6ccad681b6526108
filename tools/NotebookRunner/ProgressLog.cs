using System.Text;

namespace NotebookRunner;

/// <summary>
/// The CLI's progress lines ("[01-x.ipynb] cell 3/12 … ok (1.2 s)"). A cell's line is begun before
/// it runs and finished after, so a long cell shows which one is running; if the cell prints in
/// between, the line is broken first and repeated whole at the end, so that the cell's output never
/// lands after a half-written progress line.
/// </summary>
internal sealed class ProgressLog(TextWriter log)
{
    private readonly object _lock = new();
    private bool _linePending;

    public void Begin(string text)
    {
        lock (_lock)
        {
            BreakPendingLine();
            log.Write(text);
            log.Flush();
            _linePending = true;
        }
    }

    /// <summary>Finishes the line begun with <paramref name="prefix"/>, or writes it anew if output broke it.</summary>
    public void End(string prefix, string outcome)
    {
        lock (_lock)
        {
            log.WriteLine(_linePending ? outcome : prefix + outcome);
            log.Flush();
            _linePending = false;
        }
    }

    public void Line(string text)
    {
        lock (_lock)
        {
            BreakPendingLine();
            log.WriteLine(text);
            log.Flush();
        }
    }

    /// <summary>Wraps a console writer so that writing to it first ends a pending progress line.</summary>
    public TextWriter Guard(TextWriter inner) => new GuardedWriter(this, inner);

    private void BreakPendingLine()
    {
        if (!_linePending)
            return;
        log.WriteLine();
        log.Flush();
        _linePending = false;
    }

    private sealed class GuardedWriter(ProgressLog progress, TextWriter inner) : SpanWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (buffer.IsEmpty)
                return;
            lock (progress._lock)
                progress.BreakPendingLine();
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
    }
}
