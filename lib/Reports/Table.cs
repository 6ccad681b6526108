using System.Globalization;
using System.Net;
using System.Text;

namespace Lib.Reports;

/// <summary>Small tables as HTML (for notebooks), Markdown and CSV (for results/).</summary>
public static class Table
{
    public static string Html(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder("<table><thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    public static string Markdown(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder("| " + string.Join(" | ", header) + " |\n|" + string.Concat(header.Select(_ => "---|")) + "\n");
        foreach (var row in rows) sb.Append("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |\n");
        return sb.ToString();
    }

    /// <summary>RFC 4180 CSV (quotes where needed, invariant culture numbers are the caller's).</summary>
    public static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Q(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder(string.Join(",", header.Select(Q)) + "\n");
        foreach (var row in rows) sb.Append(string.Join(",", row.Select(Q)) + "\n");
        return sb.ToString();
    }

    /// <summary>Writes a CSV of numeric columns (e.g. a loss history) and returns the path.</summary>
    public static string SaveCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<double>> rows)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Csv(header, rows.Select(r => (IReadOnlyList<string>)r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToList())));
        return path;
    }
}
