using System.Runtime.InteropServices;

namespace Lib.Torch.Native;

/// <summary>
/// Owns one at::Tensor* from the shim. As a SafeHandle it is kept alive for the duration of every
/// native call it is passed to, so a temporary tensor cannot be finalized mid-call, and it frees the
/// native tensor exactly once (Dispose, or the finalizer as a backstop).
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long _live;

    /// <summary>Handles currently owning a native tensor (what torch.LiveTensorCount reports).</summary>
    internal static long Live => Interlocked.Read(ref _live);

    /// <summary>Stands for an absent optional tensor (a nullptr on the C side).</summary>
    internal static readonly TensorHandle Null = new();

    private TensorHandle() : base(IntPtr.Zero, ownsHandle: false) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref _live);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibNative.ts_free(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}
