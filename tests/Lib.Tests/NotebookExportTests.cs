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

    private string Screenshot(string html)
    {
        var png = Path.ChangeExtension(html, ".png");
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var (code, output, error) = ExternalTools.Run("chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,6000",
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

    private static (long Blue, long Red) ChartPixels(string png)
    {
        using var image = Image.read(png, ImageReadMode.RGB);
        var pixels = image.ToArray<byte>();
        var plane = pixels.Length / 3;
        long blue = 0, red = 0;
        for (var i = 0; i < plane; i++)
        {
            int r = pixels[i], g = pixels[plane + i], b = pixels[2 * plane + i];
            if (Math.Abs(r - 0x1f) < 30 && Math.Abs(g - 0x77) < 30 && Math.Abs(b - 0xb4) < 30) blue++;
            if (Math.Abs(r - 0xd6) < 30 && Math.Abs(g - 0x27) < 30 && Math.Abs(b - 0x28) < 30) red++;
        }
        return (blue, red);
    }
}
