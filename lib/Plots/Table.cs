using System.Globalization;
using System.Net;
using System.Text;

namespace Lib.Plots;

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

    /// <summary>
    /// The rows of an RFC 4180 CSV, what <see cref="Csv"/> writes: fields in quotes may hold commas, quotes ("") and
    /// line breaks. The header is the first row.
    /// </summary>
    /// <exception cref="InvalidDataException">A quoted field that never ends.</exception>
    public static List<List<string>> ParseCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < csv.Length && csv[i + 1] == '"') field.Append(csv[++i]);
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (quoted) throw new InvalidDataException("the CSV ends inside a quoted field (a \" without its closing \")");
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
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
