using System.Runtime.InteropServices;
using System.Text;
using Lib.Torch;

namespace Lib.Plots;

/// <summary>What the stack runs on: .NET, libtorch, its BLAS and oneDNN, threads, devices.</summary>
public sealed record EnvironmentInfo(
    string DotNet, string Os, string Cpu, int Cores, string Libtorch, string OneDnn, string BlasLibrary,
    int Threads, bool CudaAvailable, int CudaDevices)
{
    public static EnvironmentInfo Collect()
    {
        var config = torch.show_config();
        return new EnvironmentInfo(
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            CpuModel(),
            Environment.ProcessorCount,
            torch.__version__,
            ConfigLine(config, "oneDNN") ?? ConfigLine(config, "MKL-DNN") ?? "not built in",
            LoadedBlas(),
            torch.get_num_threads(),
            torch.cuda.is_available(),
            torch.cuda.device_count());
    }

    /// <summary>Rows of (setting, value), for a table.</summary>
    public IReadOnlyList<(string key, string value)> Rows() =>
    [
        (".NET", DotNet), ("OS", Os), ("CPU", Cpu), ("cores", Cores.ToString()), ("libtorch", Libtorch),
        ("oneDNN", OneDnn), ("BLAS loaded", BlasLibrary), ("torch threads", Threads.ToString()),
        ("CUDA", CudaAvailable ? $"available, {CudaDevices} device(s)" : "not available"),
    ];

    public string ToMarkdown()
    {
        var sb = new StringBuilder("| setting | value |\n|---|---|\n");
        foreach (var (k, v) in Rows()) sb.Append($"| {k} | {v.Replace("|", "\\|")} |\n");
        return sb.ToString();
    }

    public string ToHtml() => Table.Html(["setting", "value"], Rows().Select(r => new[] { r.key, r.value }));

    private static string? ConfigLine(string config, string key)
    {
        var line = config.Split('\n').FirstOrDefault(l => l.Contains(key, StringComparison.OrdinalIgnoreCase));
        return line?.Trim().TrimStart('-').Trim();
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException) { return RuntimeInformation.ProcessArchitecture.ToString(); }
    }

    /// <summary>
    /// The BLAS actually mapped into this process: Debian's libblas.so.3 is an alternatives link,
    /// and reference BLAS instead of OpenBLAS makes training several times slower.
    /// </summary>
    private static string LoadedBlas()
    {
        try
        {
            var libs = File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 6)
                .Select(p => p[5])
                .Where(p => p.Contains("blas", StringComparison.OrdinalIgnoreCase))
                .Distinct()
                .ToList();
            return libs.Count == 0 ? "none mapped (libtorch may not have used BLAS yet)" : string.Join(", ", libs);
        }
        catch (IOException) { return "unknown (no /proc/self/maps)"; }
    }
}
