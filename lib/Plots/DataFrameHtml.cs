using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace Lib.Plots;

/// <summary>
/// A DataFrame as a notebook shows it: an HTML table of the first rows (numbers in invariant culture,
/// at most <see cref="MaxRows"/>, with a count of the rest) and a plain-text table for text-only viewers.
/// </summary>
public static class DataFrameHtml
{
    public const int MaxRows = 25;

    public static IReadOnlyList<KeyValuePair<string, string>> Format(DataFrame frame) =>
    [
        new("text/html", Html(frame)),
        new("text/plain", PlainText(frame)),
    ];

    public static string Html(DataFrame frame)
    {
        var sb = new StringBuilder("<table><thead><tr><th><i>index</i></th>");
        foreach (var column in frame.Columns)
            sb.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        var shown = Math.Min(frame.Rows.Count, MaxRows);
        for (long r = 0; r < shown; r++)
        {
            sb.Append("<tr><td><i>").Append(r).Append("</i></td>");
            foreach (var column in frame.Columns)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(Cell(column[r]))).Append("</td>");
            sb.Append("</tr>");
        }
        if (frame.Rows.Count > shown)
            sb.Append("<tr><td colspan=\"").Append(frame.Columns.Count + 1).Append("\"><i>… ")
              .Append(frame.Rows.Count - shown).Append(" more rows</i></td></tr>");
        return sb.Append("</tbody></table>").ToString();
    }

    public static string PlainText(DataFrame frame)
    {
        var shown = (int)Math.Min(frame.Rows.Count, MaxRows);
        var table = new List<string[]> { frame.Columns.Select(c => c.Name).ToArray() };
        for (long r = 0; r < shown; r++)
            table.Add([.. frame.Columns.Select(c => Cell(c[r]))]);
        var widths = Enumerable.Range(0, frame.Columns.Count).Select(c => table.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in table)
            sb.AppendJoin("  ", row.Select((cell, c) => cell.PadLeft(widths[c]))).Append('\n');
        if (frame.Rows.Count > shown)
            sb.Append("… ").Append(frame.Rows.Count - shown).Append(" more rows\n");
        return sb.ToString().TrimEnd('\n');
    }

    // Six significant digits: a table to read, not to parse back.
    private static string Cell(object? value) => DataFrames.Cell(value, "G6");
}
