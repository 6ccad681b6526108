using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// Hears a cell's outputs as they happen, for a host that shows them live (the Jupyter kernel sends
/// each as an iopub message). Called on the cell's threads; an implementation must be thread-safe.
/// MIME bundles are Jupyter message "data" objects: one string (or JSON value) per MIME type.
/// </summary>
public interface ICellOutputListener
{
    void OnStream(string name, string text);

    /// <summary>A display(...) call; <paramref name="displayId"/> identifies it for later updates.</summary>
    void OnDisplay(JsonObject data, string displayId);

    /// <summary>DisplayedValue.Update(...) replaced what an earlier display shows.</summary>
    void OnDisplayUpdate(JsonObject data, string displayId);
}
