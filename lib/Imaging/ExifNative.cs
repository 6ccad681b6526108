using System.Runtime.InteropServices;
using Lib.Torch.Native;

namespace Lib.Imaging;

/// <summary>P/Invoke declarations for native/src/image_exif.cpp (the JPEG's EXIF block as bytes).</summary>
internal static unsafe class ExifNative
{
    private const string L = NativeLibraryLoader.Name;

    [DllImport(L)] internal static extern int ts_image_jpeg_exif(byte* data, long nbytes, [MarshalAs(UnmanagedType.LPUTF8Str)] string nameForErrors, out IntPtr exif, out long exifBytes);
}
