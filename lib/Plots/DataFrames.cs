using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Lib.Plots;

/// <summary>
/// Loss histories and result tables as Microsoft.Data.Analysis DataFrames, and DataFrames to and from
/// CSV in invariant culture (so a file written on a machine with a comma decimal separator reads back).
/// </summary>
public static class DataFrames
{
    /// <summary>One row per recorded step or epoch: an "index" column (1, 2, …) and one double column per series (NaN where a row lacks it).</summary>
    public static DataFrame ToDataFrame(this LossHistory history)
    {
        var columns = new List<DataFrameColumn>
        {
            new Int32DataFrameColumn("index", Enumerable.Range(1, history.Count)),
        };
        columns.AddRange(history.Columns.Select(name => (DataFrameColumn)new DoubleDataFrameColumn(name, history[name])));
        return new DataFrame(columns);
    }

    /// <summary>A table of text cells (e.g. an evaluation's rows); columns whose every cell is a number become double columns.</summary>
    public static DataFrame FromRows(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = rows.ToList();
        for (var r = 0; r < table.Count; r++)
            if (table[r].Count != header.Count)
                throw new ArgumentException($"row {r + 1} has {table[r].Count} cells but the header has {header.Count} columns ({string.Join(", ", header)})");
        var columns = header.Select((name, c) =>
        {
            var cells = table.Select(row => row[c]).ToList();
            return cells.Count > 0 && cells.All(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                ? (DataFrameColumn)new DoubleDataFrameColumn(name, cells.Select(cell => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)))
                : new StringDataFrameColumn(name, cells);
        });
        return new DataFrame(columns);
    }

    /// <summary>Parses CSV text with a header line (e.g. an evaluation's ToCsv()).</summary>
    public static DataFrame FromCsv(string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return Load(stream);
    }

    /// <summary>
    /// Writes the frame as CSV (header line, invariant culture, creating the folder) and returns the
    /// path. Numbers are written in their shortest exact form (0.1, not DataFrame.SaveCsv's 17 digits
    /// 0.10000000000000001), so the file reads well and <see cref="LoadCsv"/> gets the same doubles back.
    /// </summary>
    public static string SaveCsv(this DataFrame frame, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var rows = Enumerable.Range(0, (int)frame.Rows.Count).Select(r =>
            (IReadOnlyList<string>)frame.Columns.Select(column => Cell(column[r])).ToList());
        File.WriteAllText(path, Table.Csv(frame.Columns.Select(column => column.Name).ToList(), rows));
        return path;
    }

    /// <summary>A DataFrame cell as text: numbers in the invariant culture, doubles and floats with <paramref name="numberFormat"/> ("R": round-trip, for CSV).</summary>
    internal static string Cell(object? value, string numberFormat = "R") => value switch
    {
        null => "",
        double d => d.ToString(numberFormat, CultureInfo.InvariantCulture),
        float f => f.ToString(numberFormat, CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Reads a CSV written by <see cref="SaveCsv"/> (or any CSV with a header line). Whole-number
    /// columns become Int32, other numeric ones Double — DataFrame.LoadCsv alone guesses Single, which
    /// would round every loss to 7 digits — and the rest strings.
    /// </summary>
    public static DataFrame LoadCsv(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no CSV at {Path.GetFullPath(path)}", path);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    // Every row takes part in the guess: a column whose first rows are whole numbers may hold 0.5 later.
    private static DataFrame Load(Stream stream) =>
        DataFrame.LoadCsv(stream, guessRows: int.MaxValue, cultureInfo: CultureInfo.InvariantCulture, guessTypeFunction: GuessType);

    private static Type GuessType(IEnumerable<string> cells)
    {
        var values = cells.Where(c => c.Length > 0).ToList();
        if (values.Count > 0 && values.All(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            return typeof(int);
        if (values.Count > 0 && values.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            return typeof(double);
        return typeof(string);
    }
}
