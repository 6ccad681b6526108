using System.Globalization;
using Lib.Plots;

namespace Lib.Evaluation;

/// <summary>
/// The one table type for both tasks: a row per (set, method), a column per score any row has, in a fixed
/// order (<see cref="Score.Order"/>), then any values rows carry beside them (training minutes, steps, …).
/// Rows are grouped by set, keeping each set's methods in the order they were added. A missing value is "—".
/// </summary>
public sealed class ScoreTable
{
    private readonly List<ScoreRow> _rows = [];

    public IReadOnlyList<ScoreRow> Rows => _rows;

    public ScoreTable(IEnumerable<ScoreRow>? rows = null)
    {
        if (rows is not null) _rows.AddRange(rows);
    }

    public ScoreTable Add(params ScoreRow[] rows)
    {
        _rows.AddRange(rows);
        return this;
    }

    public ScoreTable Add(IEnumerable<ScoreRow> rows)
    {
        _rows.AddRange(rows);
        return this;
    }

    /// <summary>The row of a method on a set.</summary>
    public ScoreRow this[string set, string method] =>
        _rows.FirstOrDefault(r => r.Set == set && r.Method == method)
        ?? throw new KeyNotFoundException($"no row for {method} on {set}; rows: {string.Join(", ", _rows.Select(r => $"{r.Method} on {r.Set}"))}");

    /// <summary>Rows grouped by set (sets in order of first appearance, methods in the order added).</summary>
    public IReadOnlyList<ScoreRow> Grouped()
    {
        var sets = _rows.Select(r => r.Set).Distinct().ToList();
        return _rows.OrderBy(r => sets.IndexOf(r.Set)).ToList(); // OrderBy is stable
    }

    /// <summary>Score columns in the fixed order, then other values in order of appearance.</summary>
    public IReadOnlyList<string> Columns
    {
        get
        {
            var present = _rows.SelectMany(r => r.Values.Keys).Distinct().ToList();
            return Score.Order.Where(present.Contains).Concat(present.Where(c => !Score.Order.Contains(c))).ToList();
        }
    }

    private IReadOnlyList<string> Header => ["set", "method", "images", .. Columns];

    private IEnumerable<IReadOnlyList<string>> Cells(Func<string, double, string> format) => Grouped().Select(r =>
        (IReadOnlyList<string>)new[] { r.Set, r.Method, r.Images.ToString(CultureInfo.InvariantCulture) }
            .Concat(Columns.Select(c => r.Values.TryGetValue(c, out var v) ? format(c, v) : "—")).ToList());

    /// <summary>Fixed decimals per kind of score: dB to 0.01, similarity to 0.0001, colorfulness to 0.1.</summary>
    public static string Pretty(string column, double v)
    {
        if (double.IsNaN(v)) return "—";
        var f = column switch
        {
            Score.Psnr or Score.PsnrY => v >= 100 ? null : "0.00",
            Score.Colorfulness or Score.ColorfulnessGap or Score.MsPerImage => "0.0",
            Score.Ssim or Score.SsimY or Score.AbAuc or Score.AbAcc10 => "0.0000",
            _ => Math.Abs(v) >= 100 || v == Math.Round(v) ? "0" : "0.00",
        };
        return f is null ? "∞" : v.ToString(f, CultureInfo.InvariantCulture);
    }

    public string ToMarkdown() => Table.Markdown(Header, Cells(Pretty));
    public string ToHtml() => Table.Html(Header, Cells(Pretty));

    /// <summary>Every value at full precision.</summary>
    public string ToCsv() => Table.Csv(Header, Cells((_, v) => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Writes <paramref name="name"/>.md and .csv into <paramref name="directory"/>; returns the Markdown path.</summary>
    public string Save(string directory, string name = "evaluation")
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csv"), ToCsv());
        var md = Path.Combine(directory, name + ".md");
        File.WriteAllText(md, ToMarkdown());
        return md;
    }

    /// <summary>
    /// A table saved by <see cref="Save"/> (its CSV), read back: each row's set, method, image count and values ("—"
    /// cells are absent values). Per-image scores are not in that file.
    /// </summary>
    /// <exception cref="InvalidDataException">Not such a table (names the file and what is missing).</exception>
    public static ScoreTable Load(string csvPath)
    {
        var rows = Table.ParseCsv(File.ReadAllText(csvPath));
        if (rows.Count == 0 || rows[0].Count < 3 || rows[0][0] != "set" || rows[0][1] != "method" || rows[0][2] != "images")
            throw new InvalidDataException($"{csvPath} is not a score table: its header must start with set,method,images");
        var header = rows[0];
        var table = new ScoreTable();
        foreach (var (cells, line) in rows.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (cells.Count == 1 && cells[0].Length == 0) continue;
            if (cells.Count != header.Count) throw new InvalidDataException($"{csvPath}, line {line}: {cells.Count} cells for {header.Count} columns");
            var values = new Dictionary<string, double>();
            for (var c = 3; c < cells.Count; c++)
            {
                if (cells[c] is "—" or "") continue;
                values[header[c]] = double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v : throw new InvalidDataException($"{csvPath}, line {line}, column {header[c]}: '{cells[c]}' is not a number");
            }
            var images = int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            table.Add(new ScoreRow(cells[0], cells[1], images, values, []));
        }
        return table;
    }

    public override string ToString() => ToMarkdown();
}
