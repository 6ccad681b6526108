using Lib.Torch;
using Lib.Training;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lib.Tests;

/// <summary>Paths and comparisons shared by the tests.</summary>
internal static class TestSupport
{
    /// <summary>The repository root (the folder holding Lib.csproj), found upwards from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "fixtures", name);

    /// <summary>The colorizer task's loader transform for a colorizer that sees its crops as they are: RGB → (L / 50 − 1, ab / 110).</summary>
    public static Func<Tensor, Tensor[]> LabPairs { get; } = TrainingTasks.Colorizer.Pairs(new ColorizerConfig());

    /// <summary>
    /// Where the parity tests run: the CPU, or LIB_TEST_DEVICE (e.g. "cuda") — tools/GpuCheck runs them
    /// on a GPU with a CUDA libtorch. TF32 is turned off there: the references are plain float32.
    /// </summary>
    public static Device Device { get; } = DeviceFromEnvironment();

    private static Device DeviceFromEnvironment()
    {
        var name = Environment.GetEnvironmentVariable("LIB_TEST_DEVICE");
        if (string.IsNullOrEmpty(name)) return torch.CPU;
        var device = Device.Parse(name);
        if (device.type == DeviceType.CUDA) torch.cuda.set_allow_tf32(false);
        return device;
    }

    /// <summary>A fixture file's tensors moved to <see cref="Device"/> (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> LoadFixture(string name)
    {
        var cpu = Safetensors.load(Fixture(name));
        if (Device.type == DeviceType.CPU) return cpu;
        var moved = cpu.ToDictionary(kv => kv.Key, kv => kv.Value.to(Device).DetachFromDisposeScope());
        foreach (var t in cpu.Values) t.Dispose();
        return moved;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lib.csproj"))) return dir.FullName;
        throw new InvalidOperationException("Lib.csproj not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// The live-tensor count after earlier tests' garbage has been finalized: a leftover tensor of
    /// another test freed by the finalizer mid-test would otherwise shift a before/after comparison.
    /// </summary>
    public static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.LiveTensorCount;
    }

    /// <summary>numpy.allclose semantics: |a-b| ≤ atol + rtol·|b|, with a message naming the worst element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}] but PyTorch has [{string.Join(", ", expected.shape)}]");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Math.Abs(a[i] - e[i]) - (atol + rtol * Math.Abs(e[i]));
            if (double.IsNaN(a[i]) || excess > worstExcess) { worst = i; worstExcess = double.IsNaN(a[i]) ? double.PositiveInfinity : excess; }
        }
        Assert.True(worst < 0, worst < 0 ? "" : $"{what}: element {worst} is {a[worst]:R} but PyTorch has {e[worst]:R} (rtol {rtol}, atol {atol})");
    }
}
