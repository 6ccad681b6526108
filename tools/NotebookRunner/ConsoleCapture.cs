using System.Text;
using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// Redirects Console.Out and Console.Error for the length of a notebook run so that what cells
/// print becomes stream outputs of the running cell, while still echoing it live to the console
/// the runner had, so that someone watching a long headless run sees its progress lines.
/// Console is process-wide state: only one capture may be active at a time (NotebookExecutor
/// serialises runs).
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _originalOut;
    private readonly TextWriter _originalError;

    public ConsoleCapture(OutputRouter router, bool echo)
    {
        _originalOut = Console.Out;
        _originalError = Console.Error;
        Console.SetOut(new TeeWriter("stdout", router, echo ? _originalOut : null));
        Console.SetError(new TeeWriter("stderr", router, echo ? _originalError : null));
    }

    public void Dispose()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
    }

    private sealed class TeeWriter(string streamName, OutputRouter router, TextWriter? echo) : SpanWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (buffer.IsEmpty)
                return;
            router.Current?.WriteStream(streamName, buffer);
            if (echo is not null)
            {
                echo.Write(buffer);
                // Progress lines must show up now, not when a buffer fills.
                echo.Flush();
            }
        }

        public override void WriteLine(ReadOnlySpan<char> buffer)
        {
            // One call, so that a line written from two threads at once stays whole in the sink.
            Write(string.Concat(buffer, CoreNewLine));
        }

        public override void WriteLine(string? value) => WriteLine(value.AsSpan());

        public override void Flush() => echo?.Flush();
    }
}
