using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using NotebookRunner.CellOutputs;

namespace NotebookRunner.Export;

/// <summary>
/// An executed notebook as one self-contained HTML file, to send an experiment as a single file:
/// markdown rendered, code highlighted, every image inline as a data: URI. SVG charts go in
/// &lt;img&gt; elements, which browsers render without running anything inside them — so, unlike
/// nbconvert 6.5's sanitizer (which reduces inline SVG to its text), nothing needs stripping.
/// The export is static: JavaScript outputs of a live session (interactive charts) are replaced by
/// their static SVG where they carry one.
/// </summary>
public static partial class NotebookHtml
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Writes OUTPUT_DIR/NAME.html for the notebook and returns its path.</summary>
    public static string Export(string ipynbPath, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        var path = Path.Combine(outputDir, Path.GetFileNameWithoutExtension(ipynbPath) + ".html");
        File.WriteAllText(path, Render(ipynbPath));
        return path;
    }

    public static string Render(string ipynbPath)
    {
        var document = NotebookDocument.Load(ipynbPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(ipynbPath))!;
        var title = Path.GetFileNameWithoutExtension(ipynbPath);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (var cell in document.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    html.Append("<section class=\"cell markdown\">").Append(MarkdownHtml(cell.Source, folder)).Append("</section>\n");
                    break;
                case "code":
                    var count = cell.ExecutionCount is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
                    html.Append("<section class=\"cell code\">\n<div class=\"input\"><div class=\"prompt\">In [").Append(count).Append("]:</div><pre class=\"source\"><code>")
                        .Append(CSharpHighlighter.ToHtml(cell.Source)).Append("</code></pre></div>\n");
                    foreach (var output in cell.Outputs)
                        html.Append("<div class=\"output\">").Append(OutputHtml(output)).Append("</div>\n");
                    html.Append("</section>\n");
                    break;
                default:
                    html.Append("<section class=\"cell raw\"><pre>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }
        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static string OutputHtml(JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                var name = (string?)output["name"] == "stderr" ? "stream stderr" : "stream";
                return $"<pre class=\"{name}\">{WebUtility.HtmlEncode(MultilineText.FromJson(output["text"]))}</pre>";
            case "error":
                var lines = (output["traceback"] as JsonArray)?.Select(line => (string?)line ?? "") ?? [];
                var text = string.Join("\n", lines.Select(StripAnsi));
                if (text.Length == 0)
                    text = $"{output["ename"]}: {output["evalue"]}";
                return $"<pre class=\"error\">{WebUtility.HtmlEncode(text)}</pre>";
            case "display_data" or "execute_result":
                return DataHtml(output["data"] as JsonObject ?? []);
            default:
                return "";
        }
    }

    /// <summary>The richest static representation: images first (an interactive chart's HTML needs JavaScript), then HTML, markdown, text.</summary>
    private static string DataHtml(JsonObject data)
    {
        string? Text(string mime) => data[mime] is { } node ? MultilineText.FromJson(node) : null;
        if (Text("image/svg+xml") is { } svg)
            return Image("image/svg+xml", Convert.ToBase64String(Encoding.UTF8.GetBytes(svg)));
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif", "image/webp" })
            if (Text(mime) is { } base64)
                return Image(mime, Regex.Replace(base64, @"\s", ""));
        if (Text("text/html") is { } html)
            return $"<div class=\"html\">{html}</div>";
        if (Text("text/markdown") is { } markdown)
            return $"<div class=\"html\">{Markdig.Markdown.ToHtml(markdown, Markdown)}</div>";
        if (Text("text/plain") is { } plain)
            return $"<pre>{WebUtility.HtmlEncode(plain)}</pre>";
        if (data.FirstOrDefault(entry => MimeTypeKinds.IsJson(entry.Key)) is { Value: { } json })
            return $"<pre>{WebUtility.HtmlEncode(json.ToJsonString())}</pre>";
        return "";
    }

    private static string Image(string mime, string base64) => $"<img alt=\"\" src=\"data:{mime};base64,{base64}\">";

    /// <summary>Markdown with its local images (e.g. ../results/x.png) inlined, so the file stands alone.</summary>
    private static string MarkdownHtml(string markdown, string folder)
    {
        var parsed = Markdig.Markdown.Parse(markdown, Markdown);
        foreach (var link in parsed.Descendants<LinkInline>())
        {
            if (!link.IsImage || link.Url is not { Length: > 0 } url || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
                continue;
            var file = Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(url)));
            var mime = Path.GetExtension(file).ToLowerInvariant() switch
            {
                ".png" => "image/png",
                ".jpg" or ".jpeg" => "image/jpeg",
                ".gif" => "image/gif",
                ".svg" => "image/svg+xml",
                _ => null,
            };
            if (mime is not null && File.Exists(file))
                link.Url = $"data:{mime};base64,{Convert.ToBase64String(File.ReadAllBytes(file))}";
        }
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Markdown.Setup(renderer);
        renderer.Render(parsed);
        return writer.ToString();
    }

    private static string StripAnsi(string text) => AnsiEscape().Replace(text, "");

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    private const string Style = """
        body { margin: 0; background: #fff; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 1000px; margin: 0 auto; padding: 24px; }
        .cell { margin: 14px 0; }
        .markdown h1, .markdown h2, .markdown h3 { line-height: 1.25; margin: 1.2em 0 0.5em; }
        .markdown code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
        .input { display: flex; gap: 8px; }
        .prompt { color: #3f51b5; font: 13px/1.5 monospace; min-width: 64px; text-align: right; padding-top: 6px; }
        pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
        pre.source { flex: 1; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: 6px 10px; overflow-x: auto; }
        .output { margin: 6px 0 0 72px; overflow-x: auto; }
        .output img { max-width: 100%; }
        pre.stderr { background: #fff5f5; }
        pre.error { background: #ffecec; color: #8b0000; padding: 6px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: right; }
        th { background: #f6f8fa; }
        td:first-child, th:first-child { text-align: left; }
        .k { color: #0000c0; } .s { color: #a31515; } .n { color: #098658; } .c { color: #6a737d; font-style: italic; } .d { color: #7a3e9d; }

        """;
}
