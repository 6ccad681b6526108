namespace Lib.Torch;

/// <summary>
/// The default of every CPU fast path this library adds over libtorch (sub-pixel ConvTranspose2d, fused optimizers,
/// the caching allocator, channels-last forward-only convolutions, OpenBLAS's AVX-512 kernels on AMD):
/// on, unless the environment sets <c>LIB_FAST_PATHS=0</c> — so a whole notebook run can be repeated on the plain
/// ATen path, to compare speed or to rule the fast paths out when results differ, without editing a cell.
/// </summary>
public static class FastPaths
{
    /// <summary>The environment variable read once, at start-up: "0" or "false" turns the fast paths off.</summary>
    public const string Variable = "LIB_FAST_PATHS";

    /// <summary>Whether the fast paths start enabled in this process.</summary>
    public static bool Default { get; } = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is not ("0" or "false" or "off");
}
