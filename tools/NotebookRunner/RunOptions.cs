namespace NotebookRunner;

/// <summary>How <see cref="NotebookExecutor.RunAsync"/> runs a notebook.</summary>
public sealed record RunOptions
{
    /// <summary>Write the outputs back into the .ipynb after the run (also after a failure, so the
    /// file shows where it stopped). False leaves the file untouched.</summary>
    public bool Save { get; init; } = true;

    /// <summary>
    /// Give up on a cell after this long. The cell's code cannot be aborted in .NET, so it keeps
    /// running in the background; a CLI exits soon after anyway. Null: no limit.
    /// </summary>
    public TimeSpan? TimeoutPerCell { get; init; }

    /// <summary>How long a cell asked to stop (timeout, Ctrl+C) may take to reach its next
    /// Lib.Notebook.Interrupt.Token check before it is given up on.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Echo what cells print to the console the run started with, as it is printed.</summary>
    public bool EchoOutput { get; init; } = true;

    /// <summary>How the notebook is named in messages; default: the path as passed to RunAsync.</summary>
    public string? DisplayName { get; init; }

    // The two callbacks run while Console is redirected into the notebook: to report progress on
    // the console, write to a Console.Out/Console.Error captured before calling RunAsync.

    /// <summary>Called before a C# code cell runs.</summary>
    public Action<CellStart>? CellStarting { get; init; }

    /// <summary>Called after each cell, whatever happened to it, markdown and raw cells included.</summary>
    public Action<CellResult>? CellFinished { get; init; }
}

/// <summary>A cell about to run; numbers are 1-based, CellNumber counting all cells as VS Code does.</summary>
public sealed record CellStart(int CellNumber, int CellCount, int CodeCellNumber);
