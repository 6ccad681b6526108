using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// nbformat stores text as a list of lines, each ending with "\n" except the last, so that diffs of
/// a notebook stay line-based. Jupyter and VS Code both write it that way; we follow them.
/// </summary>
internal static class MultilineText
{
    public static JsonArray ToJson(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    /// <summary>Reads a field that nbformat allows to be either a string or a list of strings.</summary>
    public static string FromJson(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(line => line?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue(out string? text) => text,
        _ => throw new FormatException($"expected a string or a list of strings, found {node.ToJsonString()}"),
    };
}
