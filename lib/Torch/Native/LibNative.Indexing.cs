using System.Runtime.InteropServices;

namespace Lib.Torch.Native;

internal static unsafe partial class LibNative
{
    // tensor_indexing.cpp
    [DllImport(L)] internal static extern IntPtr ts_topk(TensorHandle a, long k, long dim, int largest, int sorted, out IntPtr indices);
    [DllImport(L)] internal static extern IntPtr ts_scatter(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [DllImport(L)] internal static extern IntPtr ts_bincount(TensorHandle a, TensorHandle weights, long minlength);
}
