using System.Globalization;
using System.Net;
using System.Text;

namespace Lib.Plots;

/// <summary>
/// A line chart rendered to standalone SVG (Plotly.NET is not available here, and SVG renders in
/// VS Code, on GitHub and in a browser). Show it in a notebook with
/// <c>display(chart.ToSvg(), "image/svg+xml")</c>; <see cref="Save"/> writes it under results/.
/// </summary>
public sealed class LineChart
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private readonly List<(string name, double[] x, double[] y)> _series = [];

    public string Title { get; set; } = "";
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public int Width { get; set; } = 640;
    public int Height { get; set; } = 360;

    /// <summary>Plots y against a log10 axis (losses spanning decades).</summary>
    public bool LogY { get; set; }

    /// <summary>The curves, in the order added (for other renderers, e.g. <see cref="PlotlyCharts"/>).</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> Series =>
        _series.Select(s => (s.name, (IReadOnlyList<double>)s.x, (IReadOnlyList<double>)s.y)).ToList();

    /// <summary>Adds a curve; non-finite points are skipped rather than breaking the line's scale.</summary>
    public LineChart Add(string name, IReadOnlyList<double> y, IReadOnlyList<double>? x = null)
    {
        if (x is not null && x.Count != y.Count)
            throw new ArgumentException($"series '{name}': {x.Count} x values but {y.Count} y values");
        _series.Add((name, (x ?? Enumerable.Range(0, y.Count).Select(i => (double)i).ToList()).ToArray(), y.ToArray()));
        return this;
    }

    /// <summary>The centered moving average of a noisy per-step curve (window in points).</summary>
    public static double[] Smooth(IReadOnlyList<double> y, int window)
    {
        if (window <= 1) return y.ToArray();
        var result = new double[y.Count];
        for (var i = 0; i < y.Count; i++)
        {
            int lo = Math.Max(0, i - window / 2), hi = Math.Min(y.Count - 1, i + window / 2);
            double sum = 0; var n = 0;
            for (var j = lo; j <= hi; j++) if (double.IsFinite(y[j])) { sum += y[j]; n++; }
            result[i] = n > 0 ? sum / n : double.NaN;
        }
        return result;
    }

    public string ToSvg()
    {
        const int left = 64, right = 16, top = 36, bottom = 48;
        var legendWidth = _series.Count > 1 ? 12 + _series.Max(s => s.name.Length) * 7 + 24 : 0;
        int plotW = Width - left - right - legendWidth, plotH = Height - top - bottom;
        double Ty(double v) => LogY ? Math.Log10(v) : v;
        var points = _series.SelectMany(s => s.x.Zip(s.y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!LogY || p.Second > 0)).ToList();
        double xmin = points.Count > 0 ? points.Min(p => p.First) : 0, xmax = points.Count > 0 ? points.Max(p => p.First) : 1;
        double ymin = points.Count > 0 ? points.Min(p => Ty(p.Second)) : 0, ymax = points.Count > 0 ? points.Max(p => Ty(p.Second)) : 1;
        if (xmax == xmin) { xmin -= 0.5; xmax += 0.5; }
        if (ymax == ymin) { ymin -= 0.5; ymax += 0.5; }
        var yTicks = NiceTicks(ymin, ymax, 5);
        ymin = Math.Min(ymin, yTicks[0]); ymax = Math.Max(ymax, yTicks[^1]);
        var xTicks = NiceTicks(xmin, xmax, 6).Where(t => t >= xmin - 1e-9 && t <= xmax + 1e-9).ToArray();
        double Px(double v) => left + (v - xmin) / (xmax - xmin) * plotW;
        double Py(double v) => top + plotH - (Ty(v) - ymin) / (ymax - ymin) * plotH;
        double PyRaw(double t) => top + plotH - (t - ymin) / (ymax - ymin) * plotH;

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        if (Title.Length > 0)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Esc(Title)}</text>");
        foreach (var t in yTicks)
        {
            var y = F(PyRaw(t));
            sb.Append($"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e5e5e5\"/>");
            var label = LogY ? Num(Math.Pow(10, t)) : Num(t);
            sb.Append($"<text x=\"{left - 6}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\" fill=\"#444\">{label}</text>");
        }
        foreach (var t in xTicks)
        {
            var x = F(Px(t));
            sb.Append($"<line x1=\"{x}\" x2=\"{x}\" y1=\"{top + plotH}\" y2=\"{top + plotH + 4}\" stroke=\"#444\"/>");
            sb.Append($"<text x=\"{x}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\" fill=\"#444\">{Num(t)}</text>");
        }
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#444\"/>");
        if (XLabel.Length > 0)
            sb.Append($"<text x=\"{left + plotW / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Esc(XLabel)}</text>");
        if (YLabel.Length > 0)
            sb.Append($"<text transform=\"translate(16 {top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel + (LogY ? " (log)" : ""))}</text>");
        for (var s = 0; s < _series.Count; s++)
        {
            var (name, xs, ys) = _series[s];
            var color = Palette[s % Palette.Length];
            var path = new StringBuilder();
            var pen = false;
            for (var i = 0; i < xs.Length; i++)
            {
                if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]) || (LogY && ys[i] <= 0)) { pen = false; continue; }
                path.Append(pen ? " L" : " M").Append(F(Px(xs[i]))).Append(' ').Append(F(Py(ys[i])));
                pen = true;
            }
            sb.Append($"<path d=\"{path.ToString().Trim()}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\"><title>{Esc(name)}</title></path>");
            if (_series.Count > 1)
            {
                var ly = top + 8 + s * 18;
                var lx = left + plotW + 12;
                sb.Append($"<line x1=\"{lx}\" x2=\"{lx + 18}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>");
                sb.Append($"<text x=\"{lx + 24}\" y=\"{ly}\" dy=\"4\">{Esc(name)}</text>");
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Writes the SVG (creating the folder) and returns the path.</summary>
    public string Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToSvg());
        return path;
    }

    private static double[] NiceTicks(double min, double max, int count)
    {
        var raw = (max - min) / Math.Max(1, count - 1);
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        var start = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var t = start; t <= max + step * 0.5 && ticks.Count < 20; t += step) ticks.Add(Math.Round(t / step) * step);
        if (ticks[^1] < max) ticks.Add(ticks[^1] + step);
        return ticks.ToArray();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Num(double v) =>
        v == 0 ? "0" : Math.Abs(v) >= 1e4 || Math.Abs(v) < 1e-3 ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
