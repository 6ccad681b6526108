using System.Globalization;
using System.Text;

namespace Lib.Plots;

/// <summary>
/// Named series of numbers recorded per step or per epoch (loss_G, loss_D, val_psnr, …), saved
/// as CSV with a leading index column and reloaded on resume.
/// </summary>
public sealed class LossHistory
{
    private readonly List<string> _columns = [];
    private readonly List<Dictionary<string, double>> _rows = [];

    public IReadOnlyList<string> Columns => _columns;
    public int Count => _rows.Count;

    public void Add(params (string name, double value)[] values)
    {
        var row = new Dictionary<string, double>();
        foreach (var (name, value) in values)
        {
            if (!_columns.Contains(name)) _columns.Add(name);
            row[name] = value;
        }
        _rows.Add(row);
    }

    /// <summary>One column (NaN where a row lacks it).</summary>
    public double[] this[string column] => _rows.Select(r => r.GetValueOrDefault(column, double.NaN)).ToArray();

    public double Last(string column) => _rows.Count == 0 ? double.NaN : _rows[^1].GetValueOrDefault(column, double.NaN);

    public void Save(string path)
    {
        var sb = new StringBuilder("index," + string.Join(",", _columns) + "\n");
        for (var i = 0; i < _rows.Count; i++)
            sb.Append(i + 1).Append(',').Append(string.Join(",", _columns.Select(c =>
                _rows[i].TryGetValue(c, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""))).Append('\n');
        // Replaced whole or not at all: a resume after a crash reads the rows back, and a row cut short
        // mid-number would parse as a different value.
        Lib.Torch.DurableFile.WriteAllText(path, sb.ToString());
    }

    public static LossHistory Load(string path)
    {
        var h = new LossHistory();
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) return h;
        var header = lines[0].Split(',').Skip(1).ToArray();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',').Skip(1).ToArray();
            var values = new List<(string, double)>();
            for (var c = 0; c < header.Length && c < cells.Length; c++)
                if (cells[c].Length > 0) values.Add((header[c], double.Parse(cells[c], CultureInfo.InvariantCulture)));
            h.Add(values.ToArray());
        }
        foreach (var c in header) if (!h._columns.Contains(c)) h._columns.Add(c);
        return h;
    }

    private const string StepsFile = "history_steps.csv", EpochsFile = "history_epochs.csv";

    /// <summary>Writes a run's per-step and per-epoch histories into its output folder.</summary>
    public static void SaveRun(string dir, LossHistory steps, LossHistory epochs)
    {
        steps.Save(Path.Combine(dir, StepsFile));
        epochs.Save(Path.Combine(dir, EpochsFile));
    }

    /// <summary>
    /// Reads a run's histories back for a resume after <paramref name="stepsDone"/> training steps, dropping
    /// rows written after that checkpoint (one step row per step; epoch rows carry the "step" they were written at).
    /// </summary>
    public static (LossHistory steps, LossHistory epochs) LoadRun(string dir, long stepsDone)
    {
        var stepsPath = Path.Combine(dir, StepsFile);
        var epochsPath = Path.Combine(dir, EpochsFile);
        var steps = File.Exists(stepsPath) ? Load(stepsPath) : new LossHistory();
        var epochs = File.Exists(epochsPath) ? Load(epochsPath) : new LossHistory();
        steps.Truncate((int)Math.Min(stepsDone, steps.Count));
        epochs.Truncate(epochs["step"].TakeWhile(s => s <= stepsDone).Count());
        return (steps, epochs);
    }

    /// <summary>Keeps the first n rows (resuming from an epoch drops what came after it).</summary>
    public void Truncate(int n)
    {
        if (n < _rows.Count) _rows.RemoveRange(n, _rows.Count - n);
    }
}
