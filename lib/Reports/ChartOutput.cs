using System.Text;

namespace Lib.Reports;

/// <summary>
/// What a displayed <see cref="LineChart"/> becomes in a notebook. The saved record (the runner's
/// .ipynb, the HTML export) gets only the static SVG: GitHub, nbconvert and offline viewers render it
/// and run no JavaScript. A live kernel session also gets an interactive Plotly.NET chart as text/html,
/// which front ends prefer; the SVG sits inside the chart's div as an image, so that where plotly.js
/// cannot load (no network, scripts blocked) the static chart shows instead of an empty box.
/// </summary>
public static class ChartOutput
{
    public static IReadOnlyList<KeyValuePair<string, string>> Format(LineChart chart, bool interactive)
    {
        var svg = chart.ToSvg();
        var bundle = new List<KeyValuePair<string, string>> { new("image/svg+xml", svg) };
        if (interactive)
            bundle.Add(new("text/html", InteractiveHtml(chart, svg)));
        return bundle;
    }

    /// <summary>Plotly's div with the SVG as its fallback content; a rendered Plotly div hides it.</summary>
    public static string InteractiveHtml(LineChart chart, string svg)
    {
        var html = chart.ToPlotly().ToHtml();
        var fallback = "<img class=\"lib-chart-fallback\" alt=\"" + System.Net.WebUtility.HtmlEncode(chart.Title) + "\" src=\"data:image/svg+xml;base64,"
            + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg)) + "\">";
        const string placeholder = "<!-- Plotly chart will be drawn inside this DIV -->";
        html = html.Contains(placeholder, StringComparison.Ordinal)
            ? html.Replace(placeholder, fallback, StringComparison.Ordinal)
            : fallback + html;
        // plotly.js marks the div it drew into with this class.
        return "<style>.js-plotly-plot > img.lib-chart-fallback { display: none; }</style>" + html;
    }
}
