using System.Globalization;
using Lib.Plots;

namespace Lib.Evaluation;

/// <summary>
/// The one table type for both tasks: a row per (set, method), a column per score any row has, in a fixed
/// order (<see cref="Score.Order"/>), then any values rows carry beside them (training minutes, steps, …).
/// Rows are grouped by set, keeping each set's methods in the order they were added. A missing value is "—". A score
/// known per image shows its 95 % bootstrap interval (23.44 ± 0.31); the per-image values are saved beside the table, and
/// <see cref="Compare"/> gives the paired difference of two methods on the same images.
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

    private IEnumerable<IReadOnlyList<string>> Cells(Func<ScoreRow, string, double, string> format) => Grouped().Select(r =>
        (IReadOnlyList<string>)new[] { r.Set, r.Method, r.Images.ToString(CultureInfo.InvariantCulture) }
            .Concat(Columns.Select(c => r.Values.TryGetValue(c, out var v) ? format(r, c, v) : "—")).ToList());

    /// <summary>The mean, with "± half the 95 % interval" where the score is known per image.</summary>
    private static string WithInterval(ScoreRow row, string column, double mean) =>
        row.IntervalOf(column) is { } i && double.IsFinite(i.HalfWidth) && Pretty(column, mean) != "∞"
            ? $"{Pretty(column, mean)} ± {Pretty(column, i.HalfWidth)}"
            : Pretty(column, mean);

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

    public string ToMarkdown() => Table.Markdown(Header, Cells(WithInterval));
    public string ToHtml() => Table.Html(Header, Cells(WithInterval));

    /// <summary>Every mean at full precision (the intervals follow from the per-image CSV, <see cref="ToPerImageCsv"/>).</summary>
    public string ToCsv() => Table.Csv(Header, Cells((_, _, v) => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>One line per (set, method, image) with that image's scores: what the intervals and paired differences are computed from.</summary>
    public string ToPerImageCsv()
    {
        var rows = Grouped();
        var scores = rows.SelectMany(r => r.PerImage.SelectMany(p => p.values.Keys)).Distinct().ToList();
        scores = Score.Order.Where(scores.Contains).Concat(scores.Where(s => !Score.Order.Contains(s))).ToList();
        return Table.Csv(["set", "method", "image", .. scores], rows.SelectMany(r => r.PerImage.Select(p =>
            (IReadOnlyList<string>)new[] { r.Set, r.Method, p.id }
                .Concat(scores.Select(s => p.values.TryGetValue(s, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")).ToList())));
    }

    /// <summary>
    /// The paired difference <paramref name="method"/> − <paramref name="reference"/> of <paramref name="score"/> on
    /// <paramref name="set"/>, image by image, with its 95 % bootstrap interval (<see cref="Bootstrap.PairedDifference"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A row without per-image values of the score, or rows scored on different images.</exception>
    public Interval Compare(string set, string method, string reference, string score)
    {
        var (a, b) = (this[set, method], this[set, reference]);
        var (va, vb) = (a.ValuesOf(score), b.ValuesOf(score));
        if (va is null || vb is null)
            throw new InvalidOperationException($"{(va is null ? method : reference)} on {set} has no per-image '{score}' values to pair (a table read from a CSV without its per-image file?)");
        if (!a.PerImage.Select(p => p.id).SequenceEqual(b.PerImage.Select(p => p.id)))
            throw new InvalidOperationException($"{method} and {reference} on {set} were scored on different images ({a.Images} and {b.Images}): a paired difference needs the same ones");
        return Bootstrap.PairedDifference(va, vb, groups: a.Photos);
    }

    /// <summary>
    /// Each method's paired difference to <paramref name="reference"/> on <paramref name="scores"/>, per set, as a table
    /// ("+0.62 [0.31, 0.95]"; "—" where a score is not known per image).
    /// </summary>
    public (IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows) Differences(string reference, params string[] scores)
    {
        var header = new List<string> { "set", "method" };
        header.AddRange(scores.Select(s => $"Δ {s} vs {reference}"));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var r in Grouped().Where(r => r.Method != reference && _rows.Any(x => x.Set == r.Set && x.Method == reference)))
        {
            var cells = new List<string> { r.Set, r.Method };
            foreach (var s in scores)
            {
                try
                {
                    var d = Compare(r.Set, r.Method, reference, s);
                    cells.Add($"{(d.Mean >= 0 ? "+" : "")}{Pretty(s, d.Mean)} [{Pretty(s, d.Low)}, {Pretty(s, d.High)}]");
                }
                catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException) { cells.Add("—"); }
            }
            rows.Add(cells);
        }
        return (header, rows);
    }

    /// <summary>The paired differences to <paramref name="reference"/> as Markdown.</summary>
    public string DifferencesMarkdown(string reference, params string[] scores)
    {
        var (header, rows) = Differences(reference, scores);
        return Table.Markdown(header, rows);
    }

    /// <summary>The paired differences to <paramref name="reference"/> as HTML.</summary>
    public string DifferencesHtml(string reference, params string[] scores)
    {
        var (header, rows) = Differences(reference, scores);
        return Table.Html(header, rows);
    }

    /// <summary>
    /// Writes <paramref name="name"/>.md and .csv into <paramref name="directory"/>, and the per-image scores as
    /// <paramref name="name"/>_per_image.csv; returns the Markdown path.
    /// </summary>
    public string Save(string directory, string name = "evaluation")
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csv"), ToCsv());
        File.WriteAllText(Path.Combine(directory, name + "_per_image.csv"), ToPerImageCsv());
        var md = Path.Combine(directory, name + ".md");
        File.WriteAllText(md, ToMarkdown());
        return md;
    }

    /// <summary>
    /// A table saved by <see cref="Save"/> (its CSV), read back: each row's set, method, image count and values ("—"
    /// cells are absent values), and each image's scores from the per-image file beside it when there is one.
    /// </summary>
    /// <exception cref="InvalidDataException">Not such a table (names the file and what is missing).</exception>
    public static ScoreTable Load(string csvPath)
    {
        var perImagePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, Path.GetFileNameWithoutExtension(csvPath) + "_per_image.csv");
        var perImage = new Dictionary<(string set, string method), List<(string id, IReadOnlyDictionary<string, double> values)>>();
        if (File.Exists(perImagePath))
            foreach (var (set, method, image, values) in ReadRows(perImagePath, "image"))
            {
                if (!perImage.TryGetValue((set, method), out var list)) perImage[(set, method)] = list = [];
                list.Add((image, values));
            }
        var table = new ScoreTable();
        foreach (var (set, method, images, values) in ReadRows(csvPath, "images"))
            table.Add(new ScoreRow(set, method, int.TryParse(images, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0, values,
                perImage.GetValueOrDefault((set, method)) ?? []));
        return table;
    }

    /// <summary>The rows of a CSV this table wrote: set, method, a third key column, then numbers by column name ("—" or empty: no value).</summary>
    /// <exception cref="InvalidDataException">Another header, a row of the wrong length, a cell that is not a number (file, line and column named).</exception>
    private static IEnumerable<(string set, string method, string third, Dictionary<string, double> values)> ReadRows(string path, string third)
    {
        var rows = Table.ParseCsv(File.ReadAllText(path));
        if (rows.Count == 0 || rows[0].Count < 3 || rows[0][0] != "set" || rows[0][1] != "method" || rows[0][2] != third)
            throw new InvalidDataException($"{path} is not a score table: its header must start with set,method,{third}");
        var header = rows[0];
        foreach (var (cells, line) in rows.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (cells.Count == 1 && cells[0].Length == 0) continue;
            if (cells.Count != header.Count) throw new InvalidDataException($"{path}, line {line}: {cells.Count} cells for {header.Count} columns");
            var values = new Dictionary<string, double>();
            for (var c = 3; c < cells.Count; c++)
            {
                if (cells[c] is "—" or "") continue;
                values[header[c]] = double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v : throw new InvalidDataException($"{path}, line {line}, column {header[c]}: '{cells[c]}' is not a number");
            }
            yield return (cells[0], cells[1], cells[2], values);
        }
    }

    public override string ToString() => ToMarkdown();
}
