using System.Buffers.Binary;
using Lib.Torch;
using static Lib.Torch.Native.LibNative;

namespace Lib.Imaging;

/// <summary>
/// The EXIF orientation tag (0x0112) of phone and camera JPEGs, and the turn that shows the photo upright, as
/// every image viewer (and PIL's ImageOps.exif_transpose, torchvision's apply_exif_orientation) applies it.
/// Values: 1 upright, 2 mirrored, 3 upside down, 4 mirrored upside down, 5 transposed, 6 turned 90° counter-
/// clockwise (shown turned 90° clockwise), 7 transversed, 8 turned 90° clockwise (shown turned counter-clockwise).
/// libjpeg-turbo finds the APP1 block (native/src/image_exif.cpp); the TIFF structure inside is read here.
/// </summary>
public static class ExifOrientation
{
    public const int Upright = 1;

    /// <summary>The orientation of an image file's bytes: 1 for a PNG, a JPEG without the tag, or a tag outside 1..8.</summary>
    /// <exception cref="TorchException">A JPEG whose header cannot be read (names <paramref name="name"/>).</exception>
    public static unsafe int read(ReadOnlySpan<byte> data, string name = "<memory>")
    {
        if (data.Length < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) return Upright;
        IntPtr exif;
        long n;
        fixed (byte* p = data)
            Check(ExifNative.ts_image_jpeg_exif(p, data.Length, name, out exif, out n));
        if (exif == IntPtr.Zero) return Upright;
        try { return parse(new ReadOnlySpan<byte>((void*)exif, checked((int)n))); }
        finally { ImageNative.ts_buffer_free(exif); }
    }

    /// <summary>
    /// The orientation in an APP1 payload ("Exif\0\0", then a TIFF header and IFD0). A damaged block gives 1, as viewers
    /// ignore it: a photo shown as stored is better than one that fails to load.
    /// </summary>
    public static int parse(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1[..6].SequenceEqual("Exif\0\0"u8)) return Upright;
        var tiff = app1[6..];
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return Upright;
        if (U16(tiff, 2, little) != 42) return Upright;
        var ifd = U32(tiff, 4, little);
        if (ifd > tiff.Length - 2) return Upright;
        var entries = U16(tiff, (int)ifd, little);
        for (var i = 0; i < entries; i++)
        {
            var at = (int)ifd + 2 + 12 * i;
            if (at + 12 > tiff.Length) return Upright;
            // Tag 0x0112, type SHORT (3), one value, stored in the first two bytes of the value field.
            if (U16(tiff, at, little) != 0x0112) continue;
            if (U16(tiff, at + 2, little) != 3 || U32(tiff, at + 4, little) < 1) return Upright;
            var value = U16(tiff, at + 8, little);
            return value is >= 1 and <= 8 ? value : Upright;
        }
        return Upright;
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt16BigEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt32BigEndian(s[at..]);

    /// <summary>
    /// The image (C×H×W, or N×C×H×W) turned upright for <paramref name="orientation"/>, as a new contiguous tensor;
    /// orientations 5–8 swap height and width.
    /// </summary>
    public static Tensor apply(Tensor image, int orientation)
    {
        if (image.dim() is not (3 or 4))
            throw new ArgumentException($"EXIF orientation turns C×H×W or N×C×H×W images; got [{string.Join(", ", image.shape)}]", nameof(image));
        if (orientation is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "EXIF orientation must be 1..8");
        var (h, w) = (image.dim() - 2, image.dim() - 1);
        using var scope = torch.NewDisposeScope();
        var turned = orientation switch
        {
            1 => image.alias(),
            2 => image.flip(w),
            3 => image.flip(h, w),
            4 => image.flip(h),
            5 => image.transpose(h, w),
            6 => image.transpose(h, w).flip(w),
            7 => image.transpose(h, w).flip(h, w),
            _ => image.transpose(h, w).flip(h),
        };
        return turned.contiguous().MoveToOuterDisposeScope();
    }
}
