using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner.CellOutputs;

namespace NotebookRunner;

/// <summary>
/// An .ipynb file (nbformat 4) held as a JSON tree, so that every field the runner does not know
/// about (cell ids, attachments, editor metadata) survives a load/save round trip untouched.
/// </summary>
internal sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        // Jupyter and VS Code write 1-space indentation and "\n"; matching them keeps diffs small.
        WriteIndented = true,
        IndentSize = 1,
        NewLine = "\n",
        // Notebooks are full of HTML and non-ASCII text; \u003C escapes would make them unreadable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private NotebookDocument(JsonObject root, JsonArray cells)
    {
        _root = root;
        Cells = cells.Select((cell, index) => new NotebookCell(
            cell as JsonObject ?? throw new FormatException($"cell {index + 1} is not a JSON object"))).ToList();
    }

    public IReadOnlyList<NotebookCell> Cells { get; }

    public static NotebookDocument Load(string path)
    {
        JsonNode? root;
        try
        {
            var bytes = File.ReadAllBytes(path);
            // JsonNode decodes strings lazily: invalid UTF-8 would surface later, far from here, as an InvalidOperationException.
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
                throw new FormatException($"{path} is not valid UTF-8 text, so not a notebook (a damaged or binary file?)");
            // A name given twice would otherwise throw ArgumentException at first use of the object.
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject notebook)
            throw new FormatException($"{path} is not a notebook: its JSON is not an object");
        if (notebook["nbformat"] is JsonValue format && format.TryGetValue(out int major) && major < 4)
            throw new FormatException($"{path} is nbformat {major}; only nbformat 4 is supported (opening and saving it in Jupyter or VS Code upgrades it)");
        if (notebook["cells"] is not JsonArray cells)
            throw new FormatException($"{path} is not an nbformat 4 notebook: it has no \"cells\" list");
        return new NotebookDocument(notebook, cells);
    }

    /// <summary>The notebook-wide default kernel, for cells that do not name their own.</summary>
    public string? DefaultKernelName =>
        (_root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] as JsonValue)?.TryGetValue(out string? name) == true
            ? name
            : null;

    /// <summary>
    /// Names the workbook's Jupyter kernel and C# as the notebook's language (JupyterLab and VS Code's
    /// Jupyter extension pick the kernel from kernelspec.name; nbconvert and GitHub highlight with
    /// language_info's pygments lexer) and keeps or adds Polyglot's metadata beside them, so that the
    /// file still opens in Polyglot for who has it. Another kernel's kernelspec is left alone.
    /// </summary>
    public void AddKernelMetadata()
    {
        var metadata = GetOrAddObject(_root, "metadata");
        var kernelName = (metadata["kernelspec"]?["name"] as JsonValue)?.TryGetValue(out string? name) == true ? name : null;
        if (kernelName is null or KernelIdentity.PolyglotKernelName or KernelIdentity.Name)
        {
            metadata["kernelspec"] = KernelIdentity.KernelSpec();
            metadata["language_info"] = KernelIdentity.LanguageInfo();
        }
        metadata["polyglot_notebook"] ??= new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        };
    }

    /// <summary>
    /// Gives every cell an id (nbformat 4.5 requires them; Jupyter's validator warns on every cell
    /// without one) and marks the file 4.5. Existing ids are kept, so ids stay stable across runs.
    /// </summary>
    public void AddCellIds()
    {
        var used = new HashSet<string>(Cells.Select(cell => cell.Id).OfType<string>(), StringComparer.Ordinal);
        foreach (var cell in Cells)
        {
            if (cell.Id is not null)
                continue;
            string id;
            do id = Guid.NewGuid().ToString("N")[..8];
            while (!used.Add(id));
            cell.Id = id;
        }
        if (_root["nbformat_minor"] is not JsonValue minor || !minor.TryGetValue(out int value) || value < 5)
            _root["nbformat_minor"] = 5;
    }

    /// <summary>Writes the file atomically: a crash mid-write must not destroy the user's notebook.</summary>
    public void Save(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, _root.ToJsonString(WriteOptions) + "\n");
            File.Move(temp, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    internal static JsonObject GetOrAddObject(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}

/// <summary>One cell of a <see cref="NotebookDocument"/>, edited in place.</summary>
internal sealed class NotebookCell(JsonObject json)
{
    public string CellType => (json["cell_type"] as JsonValue)?.TryGetValue(out string? type) == true ? type : "";

    public string Source => MultilineText.FromJson(json["source"]);

    /// <summary>The nbformat 4.5 cell id; null when the cell has none yet.</summary>
    public string? Id
    {
        get => Text(json["id"]);
        set => json["id"] = value;
    }

    /// <summary>The kernel the cell's metadata names, as VS Code's Polyglot extension stores it.</summary>
    public string? KernelName =>
        Text(json["metadata"]?["polyglot_notebook"]?["kernelName"])
        ?? Text(json["metadata"]?["dotnet_interactive"]?["language"]);

    private static string? Text(JsonNode? node) =>
        (node as JsonValue)?.TryGetValue(out string? text) == true ? text : null;

    public int? ExecutionCount =>
        (json["execution_count"] as JsonValue)?.TryGetValue(out int count) == true ? count : null;

    public IReadOnlyList<JsonObject> Outputs => (json["outputs"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    public void SetOutputs(JsonArray outputs, int? executionCount)
    {
        json["outputs"] = outputs;
        json["execution_count"] = executionCount;
    }

    /// <summary>Marks the cell as C# the way VS Code does, where it says nothing yet.</summary>
    public void AddCSharpMetadata()
    {
        var metadata = NotebookDocument.GetOrAddObject(json, "metadata");
        NotebookDocument.GetOrAddObject(metadata, "dotnet_interactive")["language"] ??= "csharp";
        NotebookDocument.GetOrAddObject(metadata, "polyglot_notebook")["kernelName"] ??= "csharp";
    }
}
