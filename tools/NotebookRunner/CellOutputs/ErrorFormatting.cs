namespace NotebookRunner.CellOutputs;

/// <summary>How a failing cell is reported: as an "error" output in the notebook and as a message.</summary>
internal static class ErrorFormatting
{
    public static ErrorOutput ToOutput(Exception exception) => exception switch
    {
        CellCompilationException compilation => new ErrorOutput(
            "CompilationError", "the cell does not compile", compilation.Lines),
        _ => new ErrorOutput(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, Traceback(exception)),
    };

    /// <summary>E.g. "notebooks/01-x.ipynb: cell 5 (code cell 3) failed: System.InvalidOperationException: boom".</summary>
    public static string Message(string notebook, int cellNumber, int codeCellNumber, Exception exception)
    {
        var where = $"{notebook}: cell {cellNumber} (code cell {codeCellNumber})";
        return exception switch
        {
            CellCompilationException compilation =>
                $"{where} failed to compile (lines are counted within the cell):\n"
                + string.Join("\n", compilation.Lines.Select(line => "  " + line)),
            _ => $"{where} failed: {exception.GetType().FullName}: {exception.Message}",
        };
    }

    /// <summary>
    /// The exception as text, without the frames of Roslyn's and the runner's own machinery, which
    /// say nothing about the notebook and outnumber the frames that do.
    /// </summary>
    public static IReadOnlyList<string> Traceback(Exception exception)
    {
        var lines = new List<string>();
        foreach (var line in exception.ToString().Split('\n'))
        {
            var text = line.TrimEnd('\r');
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith("at Microsoft.CodeAnalysis.", StringComparison.Ordinal)
                || trimmed.StartsWith("at NotebookRunner.", StringComparison.Ordinal)
                || trimmed.StartsWith("at System.Runtime.CompilerServices.", StringComparison.Ordinal)
                || trimmed.StartsWith("at System.Threading.", StringComparison.Ordinal))
                continue;
            // Async boundaries separate frames we just dropped; a run of them is noise.
            if (trimmed.StartsWith("--- End of stack trace", StringComparison.Ordinal)
                && lines.LastOrDefault()?.TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal) == true)
                continue;
            lines.Add(text);
        }
        while (lines.Count > 0 && lines[^1].TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal))
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}
