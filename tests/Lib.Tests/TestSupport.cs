using Lib.Torch;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lib.Tests;

/// <summary>Paths and comparisons shared by the tests.</summary>
internal static class TestSupport
{
    /// <summary>The repository root (the folder holding Lib.csproj), found upwards from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lib.csproj"))) return dir.FullName;
        throw new InvalidOperationException("Lib.csproj not found above " + AppContext.BaseDirectory);
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
