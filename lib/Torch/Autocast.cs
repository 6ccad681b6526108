using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

public static partial class torch
{
    /// <summary>
    /// <c>using (torch.autocast(DeviceType.CPU)) { ... }</c>: automatic mixed precision, as torch.autocast. Inside, libtorch runs
    /// the operations that gain from it (convolutions, matmuls, linear layers) in <paramref name="dtype"/> — bfloat16 by default,
    /// which oneDNN runs natively on CPUs with AVX512-BF16 or AMX — and keeps those that need the range (reductions, losses,
    /// normalization) in float32; parameters and gradients stay float32. bfloat16 has float32's exponent range, so a loss needs
    /// no scaling; float16 (CUDA) would. The state is the calling thread's and nests: the scope restores what it found.
    /// </summary>
    /// <param name="device_type">CPU or CUDA: the device whose operations are cast.</param>
    /// <param name="dtype">The lower precision: BFloat16 (CPU and CUDA) or Float16 (CUDA).</param>
    /// <param name="enabled">False: a scope that turns autocast off inside (e.g. a float32 island in an autocast region).</param>
    public static IDisposable autocast(DeviceType device_type, ScalarType dtype = ScalarType.BFloat16, bool enabled = true) =>
        new AutocastScope(device_type, dtype, enabled);

    /// <summary>Whether autocast is on for <paramref name="device_type"/> on this thread.</summary>
    public static bool is_autocast_enabled(DeviceType device_type) => Autocasting(ts_autocast_is_enabled(Code(device_type))) != 0;

    /// <summary>The dtype autocast casts to on <paramref name="device_type"/> on this thread.</summary>
    public static ScalarType get_autocast_dtype(DeviceType device_type) => (ScalarType)Autocasting(ts_autocast_get_dtype(Code(device_type)));

    private static int Code(DeviceType device_type) => device_type switch
    {
        DeviceType.CPU => 0,
        DeviceType.CUDA => 1,
        _ => throw new ArgumentException($"autocast runs on the CPU or on CUDA, not {device_type}", nameof(device_type)),
    };

    /// <summary>A non-negative result, or the native error (the shim returns −1 when libtorch threw).</summary>
    private static int Autocasting(int result)
    {
        if (result >= 0) return result;
        ThrowIfError();
        throw new TorchException("an autocast call failed without a libtorch error");
    }

    private sealed class AutocastScope : IDisposable
    {
        private readonly int _device;
        private readonly bool _wasEnabled;
        private readonly int _previousDtype;
        private bool _disposed;

        public AutocastScope(DeviceType device_type, ScalarType dtype, bool enabled)
        {
            _device = Code(device_type);
            if (enabled && device_type == DeviceType.CPU && dtype != ScalarType.BFloat16)
                throw new ArgumentException($"CPU autocast runs in bfloat16 only (libtorch {__version__}); got {dtype}", nameof(dtype));
            if (enabled && dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
                throw new ArgumentException($"autocast casts to BFloat16 or Float16, not {dtype}", nameof(dtype));
            _wasEnabled = Autocasting(ts_autocast_is_enabled(_device)) != 0;
            _previousDtype = Autocasting(ts_autocast_get_dtype(_device));
            Autocasting(ts_autocast_set_dtype(_device, (int)dtype));
            Autocasting(ts_autocast_set_enabled(_device, enabled ? 1 : 0));
            Autocasting(ts_autocast_increment_nesting());
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            // Leaving the outermost scope frees the casts autocast cached for the weights (as torch.autocast's __exit__).
            if (Autocasting(ts_autocast_decrement_nesting()) == 0) Autocasting(ts_autocast_clear_cache());
            Autocasting(ts_autocast_set_enabled(_device, _wasEnabled ? 1 : 0));
            Autocasting(ts_autocast_set_dtype(_device, _previousDtype));
        }
    }
}
