using System.Diagnostics;
using System.Text;

namespace Lib.Training;

/// <summary>
/// A run's output in a notebook, kept short: every line goes to the run's log file (train.log in its folder); the cell gets
/// the lines a reader needs as they come (where the run goes, a resume, a skipped step, the summary when it stops) and
/// one progress line — the latest step or epoch — updated in place where the kernel can (<see cref="Notebook.LiveText"/>),
/// else printed as a plain line at most every <see cref="PlainEvery"/>. A trainer writes its per-step and per-epoch lines
/// to <see cref="Detail"/>.
/// </summary>
public sealed class TrainingLog : TextWriter
{
    private readonly StreamWriter _file;
    private readonly TextWriter _cell;
    private readonly Stopwatch _sincePlain = Stopwatch.StartNew();
    private Notebook.LiveText? _live;
    private bool _liveTried;
    private string? _pendingStatus;

    /// <summary>How often a plain progress line is printed where the kernel cannot update one in place.</summary>
    public TimeSpan PlainEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The run's full log file.</summary>
    public string FilePath { get; }

    /// <summary>Per-step and per-epoch lines: to the file, and to the cell as the progress line.</summary>
    public TextWriter Detail { get; }

    public override Encoding Encoding => Encoding.UTF8;

    /// <param name="path">The log file.</param>
    /// <param name="cell">The notebook cell's output (the console).</param>
    /// <param name="append">True for a resumed run (it keeps its history); false starts the file afresh (a new run in a folder an earlier one left).</param>
    public TrainingLog(string path, TextWriter cell, bool append = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FilePath = path;
        _file = new StreamWriter(path, append, Encoding.UTF8) { AutoFlush = true };
        _cell = cell;
        Detail = new DetailWriter(this);
    }

    /// <summary>
    /// A line for the reader: to the file and to the cell. A progress line still waiting for its turn stays waiting (it is
    /// not pushed out first): the summary that ends a run says more than the last epoch's line would.
    /// </summary>
    public override void WriteLine(string? value)
    {
        _file.WriteLine(value);
        _cell.WriteLine(value);
    }

    public override void Write(char value) => WriteLine(value.ToString());

    public override void Write(string? value) => WriteLine(value);

    private void Status(string line)
    {
        _file.WriteLine(line);
        if (!_liveTried)
        {
            _liveTried = true;
            _live = Notebook.LiveText.TryShow(line);
            if (_live is not null) return;
        }
        if (_live is not null)
        {
            _live.Update(line);
            return;
        }
        _pendingStatus = line;
        if (_sincePlain.Elapsed < PlainEvery) return;
        FlushStatus();
    }

    /// <summary>Prints the latest progress line not yet shown (where lines are printed, not updated).</summary>
    private void FlushStatus()
    {
        if (_pendingStatus is null) return;
        _cell.WriteLine(_pendingStatus);
        _pendingStatus = null;
        _sincePlain.Restart();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pendingStatus = null; // the summary that ends a run says more than its last progress line
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class DetailWriter(TrainingLog log) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void WriteLine(string? value) => log.Status(value ?? "");
        public override void Write(char value) => log.Status(value.ToString());
        public override void Write(string? value) => log.Status(value ?? "");
    }
}
