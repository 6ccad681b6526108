using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// One entry of a code cell's "outputs" list. Outputs stay mutable .NET objects until the notebook
/// is saved because a <see cref="DisplayedValue"/> may update its output later, even from a later
/// cell, exactly like Polyglot's in-place display updates.
/// </summary>
internal abstract class CellOutput
{
    /// <summary>Builds the nbformat 4 JSON. Keys are alphabetical, as Jupyter and VS Code write them,
    /// so a notebook saved by the runner and then by an editor does not churn.</summary>
    public abstract JsonObject ToJson();
}

internal sealed class StreamOutput(string name) : CellOutput
{
    public string Name { get; } = name;
    public StreamText Text { get; } = new();

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["output_type"] = "stream",
        ["text"] = MultilineText.ToJson(Text.ToString()),
    };
}

internal sealed class DisplayDataOutput(MimeBundle data) : CellOutput
{
    // Replaced wholesale by DisplayedValue.Update; the lock in CellOutputSink orders the swaps.
    public MimeBundle Data { get; set; } = data;

    /// <summary>Identifies the output for updates; unique within the process.</summary>
    public string DisplayId { get; } = Guid.NewGuid().ToString("N");

    public override JsonObject ToJson() => new()
    {
        ["data"] = Data.ToJson(),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };
}

internal sealed class ExecuteResultOutput(MimeBundle data, int executionCount) : CellOutput
{
    public MimeBundle Data { get; } = data;

    public override JsonObject ToJson() => new()
    {
        ["data"] = Data.ToJson(),
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    };
}

internal sealed class ErrorOutput(string ename, string evalue, IReadOnlyList<string> traceback) : CellOutput
{
    public string EName { get; } = ename;
    public string EValue { get; } = evalue;
    public IReadOnlyList<string> Traceback { get; } = traceback;

    public override JsonObject ToJson() => new()
    {
        ["ename"] = EName,
        ["evalue"] = EValue,
        ["output_type"] = "error",
        // Unlike other text fields, nbformat's traceback is a list of whole lines without "\n".
        ["traceback"] = new JsonArray(Traceback.Select(line => (JsonNode?)line).ToArray()),
    };
}
