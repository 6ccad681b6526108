using System.Runtime.Intrinsics.X86;
using Lib.Torch;

namespace Lib.Tests;

/// <summary>Where the CPU has AVX-512 and nobody chose otherwise, OpenBLAS runs AVX-512 kernels (lib/Torch/Native/BlasKernels.cs).</summary>
public class BlasKernelsTests
{
    // Debian's OpenBLAS 0.3.21 names of its AVX-512 kernel sets.
    private static readonly string[] Avx512Cores = ["SkylakeX", "Cooperlake", "SapphireRapids"];

    [Fact]
    public void An_avx512_cpu_gets_avx512_kernels_unless_the_user_chose()
    {
        var core = torch.blas_core_type();
        Assert.NotNull(core); // tools/setup.sh installs libopenblas0-pthread as libtorch's BLAS
        var userChoice = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        if (!Avx512F.IsSupported) return;
        if (userChoice is not null && userChoice != "SkylakeX")
        {
            // Chosen before this process started (the test host inherits it): kept as given.
            Assert.Equal(userChoice, core, ignoreCase: true);
            return;
        }
        Assert.Contains(core, Avx512Cores);
    }
}
