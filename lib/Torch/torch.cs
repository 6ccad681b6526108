using Lib.Torch.Native;
using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

/// <summary>
/// The entry point, spelled as in PyTorch and TorchSharp: <c>using static Lib.Torch.torch;</c> then
/// <c>zeros(2, 3)</c>, <c>nn.Conv2d(...)</c>, <c>optim.Adam(...)</c>.
/// </summary>
public static partial class torch
{
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType @long = ScalarType.Int64;

    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA);

    public static Device device(string description) => Device.Parse(description);

    /// <summary>Native tensors currently alive in this process (tests use it to prove nothing leaks).</summary>
    public static long LiveTensorCount => TensorHandle.Live;

    /// <summary>Starts a scope that disposes every tensor created in it on this thread (see <see cref="DisposeScope"/>).</summary>
    public static DisposeScope NewDisposeScope() => new();

    // ---- runtime -----------------------------------------------------------------------------

    /// <summary>Seeds libtorch's CPU generator (and every CUDA generator): CPU runs then repeat bit for bit.</summary>
    public static void manual_seed(long seed)
    {
        Check(ts_manual_seed((ulong)seed));
        Check(ts_cuda_manual_seed_all((ulong)seed));
    }

    /// <summary>The CPU generator's state (a uint8 tensor), as torch.get_rng_state(); checkpoints store it.</summary>
    public static Tensor get_rng_state() => new(ts_get_rng_state());

    public static void set_rng_state(Tensor state) => Check(ts_set_rng_state(state.Handle));

    public static void set_num_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "need at least one thread");
        Check(ts_set_num_threads(threads));
    }

    public static int get_num_threads() => ts_get_num_threads();

    public static bool is_grad_enabled() => ts_is_grad_enabled() != 0;

    public static void set_grad_enabled(bool enabled) => Check(ts_set_grad_enabled(enabled ? 1 : 0));

    /// <summary><c>using (torch.no_grad()) { ... }</c>: no autograd graph is recorded inside.</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    public static IDisposable enable_grad() => new GradModeScope(true);

    /// <summary>Makes libtorch pick deterministic kernels (and fail where none exists).</summary>
    public static void use_deterministic_algorithms(bool on) => Check(ts_set_deterministic(on ? 1 : 0));

    /// <summary>The libtorch version the shim was built against, e.g. "1.13.1".</summary>
    public static string __version__ => TakeString(ts_version()) ?? "";

    /// <summary>libtorch's build configuration (compiler, BLAS, oneDNN, CUDA), as torch.__config__.show().</summary>
    public static string show_config() => TakeString(ts_show_config()) ?? "";

    /// <summary>
    /// The kernels OpenBLAS runs here (e.g. Haswell, SkylakeX, Cooperlake), null if the BLAS is not OpenBLAS. On AMD
    /// CPUs with AVX-512 the library picks SkylakeX unless OPENBLAS_CORETYPE was set (see BlasKernels).
    /// </summary>
    public static string? blas_core_type() => BlasKernels.CoreName();

    /// <summary>Thread pools and OpenMP settings, as torch.__config__.parallel_info().</summary>
    public static string parallel_info() => TakeString(ts_parallel_info()) ?? "";

    public static class cuda
    {
        public static bool is_available() => ts_cuda_is_available() != 0;
        public static int device_count() => ts_cuda_device_count();
        public static void manual_seed_all(long seed) => Check(ts_cuda_manual_seed_all((ulong)seed));
        public static void synchronize() => Check(ts_cuda_synchronize());

        /// <summary>Allows TF32 tensor cores in CUDA convolutions and matmuls (faster, about 1e-3 relative precision).</summary>
        public static void set_allow_tf32(bool on) => Check(ts_set_allow_tf32(on ? 1 : 0));
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public GradModeScope(bool enabled)
        {
            _previous = is_grad_enabled();
            set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            set_grad_enabled(_previous);
        }
    }
}
