using System.Text;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace Lib.Plots;

/// <summary>
/// What a displayed <see cref="LineChart"/> becomes in a notebook. The saved record (the runner's
/// .ipynb, the HTML export) gets only the static SVG: GitHub, nbconvert and offline viewers render it
/// and run no JavaScript. A live kernel session also gets an interactive Plotly.NET chart as text/html,
/// which front ends prefer; the SVG sits inside the chart's div as an image, so that where plotly.js
/// cannot load (no network, scripts blocked) the static chart shows instead of an empty box.
/// Plotly.NET's chart HTML expects a global <c>Plotly</c>, which no Jupyter front end defines: the
/// script loads plotly.js (the version Plotly.NET ships) from its CDN first — with require.js where
/// the page has it (the classic notebook), else with a script element (JupyterLab, VS Code).
/// </summary>
public static partial class ChartOutput
{
    /// <summary>The plotly.js release Plotly.NET was built for (its embedded copy's name says it).</summary>
    public static string PlotlyJsVersion { get; } = typeof(GenericChart).Assembly.GetManifestResourceNames()
        .Select(name => PlotlyResource().Match(name)).Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault() ?? "2.28.0";

    /// <summary>plotly.js itself, as Plotly.NET embeds it (for pages that must work offline, and tests).</summary>
    public static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().First(n => PlotlyResource().IsMatch(n));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

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
        html = RenderCall().Replace(html, match => $$"""
            (function (render) {
              if (window.Plotly) { render(); return; }
              var src = 'https://cdn.plot.ly/plotly-{{PlotlyJsVersion}}.min';
              if (typeof window.requirejs === 'function' && window.requirejs.config) {
                window.requirejs.config({ paths: { plotly: src } });
                window.requirejs(['plotly'], function (plotly) { window.Plotly = plotly; render(); });
                return;
              }
              var script = document.createElement('script');
              script.src = src + '.js';
              script.onload = render;
              document.head.appendChild(script);
            })({{match.Groups[1].Value}});
            </script>
            """, 1);
        // plotly.js marks the div it drew into with this class.
        return "<style>.js-plotly-plot > img.lib-chart-fallback { display: none; }</style>" + html;
    }

    [GeneratedRegex(@"(renderPlotly_[0-9a-f]+)\(\);\s*</script>")]
    private static partial Regex RenderCall();

    [GeneratedRegex(@"plotly-([0-9.]+)\.min\.js$")]
    private static partial Regex PlotlyResource();
}
