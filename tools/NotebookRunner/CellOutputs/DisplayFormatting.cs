using System.Collections;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.CellOutputs;

/// <summary>
/// Turns a value shown with display(...) or returned by a cell into a MIME bundle, following the
/// subset of Polyglot's formatting rules that matters for a workbook: strings are plain text,
/// HTML(...) is text/html, sequences become a small table, anything else is its ToString().
/// </summary>
internal static class DisplayFormatting
{
    /// <summary>Polyglot also shows only the first 20 items of a sequence.</summary>
    private const int SequenceLimit = 20;

    public static MimeBundle Format(object? value, IReadOnlyList<string> mimeTypes)
    {
        if (mimeTypes.Count == 0)
            return FormatByType(value);

        var bundle = new MimeBundle();
        foreach (var mimeType in mimeTypes)
        {
            if (string.IsNullOrWhiteSpace(mimeType))
                throw new ArgumentException("display: a MIME type is empty");
            if (MimeTypeKinds.IsJson(mimeType))
                bundle.Add(mimeType, ToJson(value, mimeType));
            else
                bundle.Add(mimeType, ToText(value, mimeType));
        }
        return bundle;
    }

    private static MimeBundle FormatByType(object? value) => value switch
    {
        // Polyglot shows a displayed null as "<null>".
        null => new MimeBundle().Add("text/plain", "<null>"),
        string text => new MimeBundle().Add("text/plain", text),
        HtmlContent html => new MimeBundle().Add("text/html", html.Html),
        _ when FormatterRegistry.TryFormat(value) is { } registered => registered,
        IEnumerable sequence => FormatSequence(sequence),
        _ => new MimeBundle().Add("text/plain", PlainText(value)),
    };

    private static string ToText(object? value, string mimeType)
    {
        if (MimeTypeKinds.IsBinary(mimeType))
        {
            return value switch
            {
                byte[] bytes => Convert.ToBase64String(bytes),
                // Accept a data: URI too, since that is what HTML <img> code tends to have at hand.
                string text when text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.Contains(";base64,")
                    => text[(text.IndexOf(";base64,", StringComparison.Ordinal) + ";base64,".Length)..],
                string base64 => base64,
                _ => throw new ArgumentException(
                    $"display: a value shown as {mimeType} must be a base64 string or a byte[], not {value?.GetType().FullName ?? "null"}"),
            };
        }

        return value switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            HtmlContent html when mimeType == "text/html" => html.Html,
            IEnumerable sequence when mimeType == "text/html" => SequenceHtml(Take(sequence)),
            _ when mimeType == "text/html" => WebUtility.HtmlEncode(PlainText(value)),
            _ => PlainText(value),
        };
    }

    private static JsonNode ToJson(object? value, string mimeType)
    {
        try
        {
            return value switch
            {
                string json => JsonNode.Parse(json) ?? JsonValue.Create((string?)null)!,
                JsonNode node => node.DeepClone(),
                _ => JsonSerializer.SerializeToNode(value) ?? new JsonObject(),
            };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new ArgumentException($"display: the value shown as {mimeType} is not valid JSON: {e.Message}", e);
        }
    }

    private static string PlainText(object? value) => value switch
    {
        null => "<null>",
        HtmlContent html => html.Html,
        _ => value.ToString() ?? "",
    };

    private static MimeBundle FormatSequence(IEnumerable sequence)
    {
        // Enumerate once: a lazy sequence may be expensive or have side effects.
        var items = Take(sequence);
        return new MimeBundle()
            .Add("text/html", SequenceHtml(items))
            .Add("text/plain", SequencePlainText(items));
    }

    private static (List<object?> Items, bool More) Take(IEnumerable sequence)
    {
        // Stop after the limit: the sequence may be lazy, huge or endless.
        var items = new List<object?>();
        foreach (var item in sequence)
        {
            if (items.Count == SequenceLimit)
                return (items, true);
            items.Add(item);
        }
        return (items, false);
    }

    private static string SequenceHtml((List<object?> Items, bool More) taken)
    {
        var (items, more) = taken;
        var html = new StringBuilder("<table><thead><tr><th><i>index</i></th><th>value</th></tr></thead><tbody>");
        for (int i = 0; i < items.Count; i++)
            html.Append("<tr><td>").Append(i).Append("</td><td>").Append(WebUtility.HtmlEncode(PlainText(items[i]))).Append("</td></tr>");
        if (more)
            html.Append("<tr><td colspan=\"2\"><i>… (more)</i></td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    private static string SequencePlainText((List<object?> Items, bool More) taken)
    {
        var (items, more) = taken;
        var parts = items.Select(PlainText).ToList();
        if (more)
            parts.Add("…");
        return parts.Count == 0 ? "[ ]" : "[ " + string.Join(", ", parts) + " ]";
    }
}
