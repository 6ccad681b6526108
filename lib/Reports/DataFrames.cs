using System.Globalization;
using System.Text;
using Lib.Training;
using Microsoft.Data.Analysis;

namespace Lib.Reports;

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
        return DataFrame.LoadCsv(stream, cultureInfo: CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the frame as CSV (header line, invariant culture, creating the folder) and returns the path.</summary>
    public static string SaveCsv(this DataFrame frame, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        DataFrame.SaveCsv(frame, path, cultureInfo: CultureInfo.InvariantCulture);
        return path;
    }

    /// <summary>Reads a CSV written by <see cref="SaveCsv"/> (or any CSV with a header line).</summary>
    public static DataFrame LoadCsv(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no CSV at {Path.GetFullPath(path)}", path);
        return DataFrame.LoadCsv(path, cultureInfo: CultureInfo.InvariantCulture);
    }
}
