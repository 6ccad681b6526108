using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// Rewrites absolute paths under the repository into repository-relative ones in saved outputs, so
/// that a committed notebook shows "results/02-x/checkpoints/best.safetensors", not the folder of the
/// machine that executed it.
/// </summary>
internal static class OutputPaths
{
    public static JsonArray MakeRelative(JsonArray outputs, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        if (prefix.Length <= 1)
            return outputs;
        foreach (var output in outputs.OfType<JsonObject>())
            Rewrite(output, prefix);
        return outputs;
    }

    private static void Rewrite(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue(out string? text))
                    {
                        if (text.Contains(prefix, StringComparison.Ordinal))
                            obj[key] = text.Replace(prefix, "", StringComparison.Ordinal);
                    }
                    else if (child is not null)
                        Rewrite(child, prefix);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        if (text.Contains(prefix, StringComparison.Ordinal))
                            array[i] = text.Replace(prefix, "", StringComparison.Ordinal);
                    }
                    else if (array[i] is { } child)
                        Rewrite(child, prefix);
                }
                break;
        }
    }
}
