using System.Runtime.InteropServices;
using Lib.Torch.Native;

namespace Lib.Imaging;

/// <summary>
/// P/Invoke declarations for native/src/image_codec.cpp. Kept apart from LibNative so the codec
/// can change without touching the tensor bindings; LibNative's module initializer already points
/// every DllImport of this assembly at libLibNative.so.
/// </summary>
internal static unsafe class ImageNative
{
    private const string L = NativeLibraryLoader.Name;

    [DllImport(L)] internal static extern IntPtr ts_image_decode(byte* data, long nbytes, int mode, [MarshalAs(UnmanagedType.LPUTF8Str)] string nameForErrors);
    [DllImport(L)] internal static extern int ts_image_encode_png(TensorHandle t, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int compressionLevel);
    [DllImport(L)] internal static extern int ts_image_encode_jpeg(TensorHandle t, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int quality);
    [DllImport(L)] internal static extern int ts_image_encode_png_buffer(TensorHandle t, int compressionLevel, out IntPtr data, out long nbytes);
    [DllImport(L)] internal static extern int ts_image_encode_jpeg_buffer(TensorHandle t, int quality, out IntPtr data, out long nbytes);
    [DllImport(L)] internal static extern void ts_buffer_free(IntPtr data);
    [DllImport(L)] internal static extern long ts_image_get_max_pixels();
    [DllImport(L)] internal static extern void ts_image_set_max_pixels(long n);
}
