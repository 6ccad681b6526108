using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// The "data" of a display_data or execute_result output: one representation of a value per MIME
/// type, from which the notebook front end picks the richest it can render.
/// </summary>
internal sealed class MimeBundle
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public IEnumerable<string> MimeTypes => _entries.Select(entry => entry.Key);

    /// <summary>Adds text (or base64 for binary types); a later Add of the same type replaces it.</summary>
    public MimeBundle Add(string mimeType, string text) => Set(mimeType, text);

    /// <summary>Adds a JSON document, for application/json and the *+json types.</summary>
    public MimeBundle Add(string mimeType, JsonNode json) => Set(mimeType, json);

    public string? GetText(string mimeType) =>
        _entries.FirstOrDefault(entry => entry.Key == mimeType).Value as string;

    private MimeBundle Set(string mimeType, object value)
    {
        _entries.RemoveAll(entry => entry.Key == mimeType);
        _entries.Add(new(mimeType, value));
        return this;
    }

    /// <summary>The bundle as a Jupyter message carries it: each text as one string.</summary>
    public JsonObject ToMessageJson()
    {
        var data = new JsonObject();
        foreach (var (mimeType, value) in _entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            data[mimeType] = value is JsonNode json ? json.DeepClone() : JsonValue.Create((string)value);
        return data;
    }

    public JsonObject ToJson()
    {
        var data = new JsonObject();
        foreach (var (mimeType, value) in _entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            data[mimeType] = value switch
            {
                JsonNode json => json.DeepClone(),
                // Jupyter keeps base64 payloads as one string but splits text into lines.
                string text when MimeTypeKinds.IsBinary(mimeType) => text,
                string text => MultilineText.ToJson(text),
                _ => throw new InvalidOperationException($"unexpected value for {mimeType}"),
            };
        }
        return data;
    }
}

/// <summary>How nbformat stores each kind of MIME type.</summary>
internal static class MimeTypeKinds
{
    /// <summary>Binary payloads are stored base64-encoded (image/png, image/jpeg, ...).</summary>
    public static bool IsBinary(string mimeType) =>
        mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            ? !mimeType.Equals("image/svg+xml", StringComparison.OrdinalIgnoreCase)
            : mimeType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
              || mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
              || mimeType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)
              || mimeType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>JSON types are stored as JSON values rather than strings.</summary>
    public static bool IsJson(string mimeType) =>
        mimeType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mimeType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
