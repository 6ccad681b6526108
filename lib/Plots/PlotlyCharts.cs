using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace Lib.Plots;

/// <summary>
/// A <see cref="LineChart"/> as a Plotly.NET chart: the same curves, title and axes, with hover
/// values, zoom and curves that hide on a legend click. Used for live kernel sessions (a front end that
/// runs JavaScript); saved records keep the chart's static SVG (environment.md says why).
/// </summary>
public static class PlotlyCharts
{
    public static GenericChart ToPlotly(this LineChart chart)
    {
        var traces = chart.Series.Select(s =>
        {
            // NaN has no JSON spelling; such points (and non-positive ones on a log axis) are left out.
            var points = s.X.Zip(s.Y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!chart.LogY || p.Second > 0)).ToList();
            return Chart.Line<double, double, string>(x: points.Select(p => p.First), y: points.Select(p => p.Second), Name: s.Name);
        }).ToList();
        if (traces.Count == 0)
            traces.Add(Chart.Line<double, double, string>(x: [], y: []));
        var combined = Chart.Combine(traces);
        if (chart.Title.Length > 0)
            combined = Plotly.NET.Chart.withTitle(Title.init(chart.Title, null, null, null, null, null, null, null, null, null, null, null)).Invoke(combined);
        return combined
            .WithXAxisStyle<double, double, string>(TitleText: chart.XLabel)
            .WithYAxisStyle<double, double, string>(TitleText: chart.YLabel, AxisType: chart.LogY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithSize(chart.Width, chart.Height);
    }

    /// <summary>The chart's HTML fragment (a div and the script that draws it; plotly.js from its CDN).</summary>
    public static string ToHtml(this GenericChart chart) => GenericChart.toChartHTML(chart);
}
