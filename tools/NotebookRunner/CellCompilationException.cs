using Microsoft.CodeAnalysis;

namespace NotebookRunner;

/// <summary>
/// A cell did not compile. The message lists the errors with line and column relative to the cell,
/// e.g. "(3,5): error CS0103: The name 'x' does not exist in the current context".
/// </summary>
public sealed class CellCompilationException : Exception
{
    public CellCompilationException(IReadOnlyList<Diagnostic> errors)
        : base(string.Join("\n", errors.Select(Describe)))
    {
        Diagnostics = errors;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Each error as "(line,column): error ID: message".</summary>
    public IReadOnlyList<string> Lines => Diagnostics.Select(Describe).ToList();

    private static string Describe(Diagnostic diagnostic)
    {
        // The cell is its own source text, so these positions are already relative to the cell.
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var where = diagnostic.Location.IsInSource ? $"({position.Line + 1},{position.Character + 1}): " : "";
        return $"{where}{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
