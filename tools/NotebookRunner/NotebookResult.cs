namespace NotebookRunner;

/// <summary>
/// The outcome of running one notebook. Cell numbers are 1-based and count all cells (markdown
/// included), as VS Code shows them; "code cell" numbers count code cells only.
/// </summary>
public sealed record NotebookResult
{
    /// <summary>The path as passed to RunAsync.</summary>
    public required string NotebookPath { get; init; }

    public bool Succeeded => Exception is null;

    /// <summary>The cell that failed, counting all cells; null on success.</summary>
    public int? FailedCellNumber { get; init; }

    /// <summary>The failed cell's number among code cells only; null on success.</summary>
    public int? FailedCodeCellNumber { get; init; }

    /// <summary>What went wrong: the cell's exception, a <see cref="CellCompilationException"/>,
    /// a <see cref="TimeoutException"/>, or a <see cref="NotSupportedException"/> for `#r "nuget:..."`.</summary>
    public Exception? Exception { get; init; }

    /// <summary>
    /// One line (plus compiler diagnostics) for a person, e.g.
    /// "notebooks/01-x.ipynb: cell 5 (code cell 3) failed: System.InvalidOperationException: boom".
    /// Null on success.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>Every cell of the notebook, in order, including those skipped or not reached.</summary>
    public required IReadOnlyList<CellResult> Cells { get; init; }

    /// <summary>Ignored magic commands and skipped non-C# cells, each naming its cell.</summary>
    public IReadOnlyList<string> Warnings => Cells.SelectMany(cell => cell.Notes.Select(note => $"cell {cell.CellNumber}: {note}")).ToList();

    public TimeSpan Elapsed { get; init; }

    public override string ToString() => Message ?? $"{NotebookPath}: ok";
}

public enum CellStatus
{
    /// <summary>A C# cell that ran to completion.</summary>
    Succeeded,
    /// <summary>A C# cell that failed to compile, threw, or timed out; the run stopped there.</summary>
    Failed,
    /// <summary>Not C# code: markdown, raw, or another kernel's cell.</summary>
    Skipped,
    /// <summary>A C# cell after the failing one.</summary>
    NotRun,
}

/// <summary>What happened to one cell.</summary>
/// <param name="CellNumber">1-based, counting all cells.</param>
/// <param name="CellCount">How many cells the notebook has.</param>
/// <param name="CellType">"code", "markdown" or "raw".</param>
/// <param name="CodeCellNumber">1-based among code cells; null for markdown and raw cells.</param>
/// <param name="Status">Whether it ran, failed, was skipped or was not reached.</param>
/// <param name="Elapsed">Wall time of the cell's run; zero when it did not run.</param>
/// <param name="Notes">Why the cell was skipped, or which magic commands were ignored.</param>
/// <param name="WroteOutput">Whether the cell printed to the console (lets a progress display
/// know that its line was interrupted).</param>
public sealed record CellResult(
    int CellNumber,
    int CellCount,
    string CellType,
    int? CodeCellNumber,
    CellStatus Status,
    TimeSpan Elapsed,
    IReadOnlyList<string> Notes,
    bool WroteOutput = false);
