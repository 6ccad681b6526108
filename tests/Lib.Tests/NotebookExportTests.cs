using System.Text;
using System.Text.RegularExpressions;
using Lib.Imaging;
using NotebookRunner.Export;

namespace Lib.Tests;

/// <summary>
/// The HTML export as a reader sees it: rendered by Debian's chromium, headless, and the loss chart's
/// pixels counted in the screenshot. The same page with the SVG reduced to its text (what nbconvert
/// 6.5's sanitizer leaves of an untrusted notebook's charts) is the control that shows the check can fail.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class NotebookExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notebook-export-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheExportOfNotebook00ShowsItsLossChartInChromium()
    {
        var html = NotebookHtml.Export(Path.Combine(TestSupport.RepoRoot, "notebooks", "00-environment.ipynb"), _dir);
        var text = File.ReadAllText(html);
        Assert.DoesNotContain("src=\"http", text);
        Assert.DoesNotContain("<script", text);
        Assert.Contains("data:image/svg+xml;base64,", text);

        var stripped = Path.Combine(_dir, "stripped.html");
        File.WriteAllText(stripped, Regex.Replace(text, "<img alt=\"\" src=\"data:image/svg\\+xml;base64,([^\"]+)\">",
            match => "<div>" + Regex.Replace(Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value)), "<[^>]+>", " ") + "</div>"));

        // The loss curve's blue (#1f77b4) and the moving average's red (#d62728).
        var chart = ChartPixels(Screenshot(html));
        var control = ChartPixels(Screenshot(stripped));
        Assert.True(chart.Blue > 300 && chart.Red > 300, $"the chart did not render: {chart.Blue} blue and {chart.Red} red pixels");
        Assert.True(control.Blue < 20 && control.Red < 20, $"the control page has {control.Blue} blue and {control.Red} red pixels");
    }

    [Fact]
    public void ALiveChartDrawsWithPlotlyJsAndShowsItsSvgWithoutIt()
    {
        var chart = new Lib.Plots.LineChart { Title = "losses" }.Add("train", [1.0, 0.6, 0.4, 0.3, 0.25, 0.2]);
        var live = Lib.Plots.ChartOutput.InteractiveHtml(chart, chart.ToSvg());
        // No network here: the CDN script fails to load and the static SVG stays (#1f77b4 curve).
        var offline = Path.Combine(_dir, "offline.html");
        File.WriteAllText(offline, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{live}</body></html>");
        // With plotly.js on the page (Plotly.NET's own copy), Plotly draws (#636efa) and hides the SVG.
        var online = Path.Combine(_dir, "online.html");
        File.WriteAllText(online, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>{Lib.Plots.ChartOutput.PlotlyJs()}</script></head><body>{live}</body></html>");

        var withoutJs = Pixels(Screenshot(offline, "1000,600"));
        var withJs = Pixels(Screenshot(online, "1000,600"));
        Assert.True(withoutJs.Svg > 100 && withoutJs.Plotly < 20, $"offline: {withoutJs.Svg} SVG-blue and {withoutJs.Plotly} Plotly-blue pixels");
        Assert.True(withJs.Plotly > 100 && withJs.Svg < 20, $"with plotly.js: {withJs.Svg} SVG-blue and {withJs.Plotly} Plotly-blue pixels");
    }

    private static (long Svg, long Plotly) Pixels(string png) => (Count(png, 0x1f, 0x77, 0xb4), Count(png, 0x63, 0x6e, 0xfa));

    private string Screenshot(string html, string size = "1000,6000")
    {
        var png = Path.ChangeExtension(html, ".png");
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var (code, output, error) = ExternalTools.Run("chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile}", "--hide-scrollbars", $"--window-size={size}", "--virtual-time-budget=5000",
                $"--screenshot={png}", new Uri(html).AbsoluteUri,
            ], timeoutSeconds: 120);
            Assert.True(code == 0 && File.Exists(png), $"chromium failed ({code}):\n{output}\n{error}");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
        return png;
    }

    private static (long Blue, long Red) ChartPixels(string png) => (Count(png, 0x1f, 0x77, 0xb4), Count(png, 0xd6, 0x27, 0x28));

    /// <summary>Pixels within 30 levels per channel of a color.</summary>
    private static long Count(string png, int red, int green, int blue)
    {
        using var image = Image.read(png, ImageReadMode.RGB);
        var pixels = image.ToArray<byte>();
        var plane = pixels.Length / 3;
        long count = 0;
        for (var i = 0; i < plane; i++)
            if (Math.Abs(pixels[i] - red) < 30 && Math.Abs(pixels[plane + i] - green) < 30 && Math.Abs(pixels[2 * plane + i] - blue) < 30)
                count++;
        return count;
    }
}
