using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner;
using NotebookRunner.CellOutputs;

namespace WorkbookKernel;

/// <summary>
/// A failed cell as Jupyter's error message: ename, evalue and traceback lines. The traceback starts
/// with the cell and line where it failed ("Cell In[3], line 5"), as IPython's does.
/// </summary>
internal static class CellError
{
    public static JsonObject Describe(Exception exception, string cellPath, int count, bool interrupted)
    {
        var cell = $"In[{count}]";
        string ename, evalue;
        var traceback = new List<string>();
        switch (exception)
        {
            case CellCompilationException compilation:
                ename = "CompilationError";
                evalue = "the cell does not compile";
                traceback.Add($"Cell {cell} does not compile (lines and columns within the cell):");
                traceback.AddRange(compilation.Lines.Select(line => "  " + line));
                break;
            default:
                ename = exception.GetType().FullName ?? exception.GetType().Name;
                evalue = interrupted && exception is OperationCanceledException
                    ? "interrupted: the cell stopped at Lib.Notebook.Interrupt.Token"
                    : exception.Message;
                var line = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
                    .FirstOrDefault(frame => frame.GetFileName() == cellPath)?.GetFileLineNumber();
                traceback.Add(line is > 0 ? $"Cell {cell}, line {line}" : $"Cell {cell}");
                var folder = Path.GetDirectoryName(cellPath) + Path.DirectorySeparatorChar;
                traceback.AddRange(ErrorFormatting.Traceback(exception)
                    .Where(text => !text.TrimStart().StartsWith("at WorkbookKernel.", StringComparison.Ordinal))
                    .Select(text => text.Replace(folder, "", StringComparison.Ordinal)));
                while (traceback[^1].TrimStart().StartsWith("--- End of stack trace", StringComparison.Ordinal))
                    traceback.RemoveAt(traceback.Count - 1);
                if (exception is CellAbandonedException)
                    traceback.Add("Kernel > Restart stops it; a loop stops at the next step when it polls Lib.Notebook.Interrupt.Token.");
                break;
        }
        return new JsonObject
        {
            ["ename"] = ename,
            ["evalue"] = evalue,
            ["traceback"] = new JsonArray(traceback.Select(text => (JsonNode?)text).ToArray()),
        };
    }
}
