namespace Lib.Imaging;

/// <summary>
/// The channels <see cref="Image.read"/> returns; torchvision.io.ImageReadMode under C# names
/// (UNCHANGED → Unchanged, GRAY → Gray, RGB → RGB, RGB_ALPHA → RGBA; torchvision's GRAY_ALPHA has
/// no counterpart). The values are the codes native/src/image_codec.cpp takes.
/// </summary>
public enum ImageReadMode
{
    /// <summary>The file's own channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. A palette PNG gives
    /// 3, or 4 when it has transparency (tRNS); a CMYK JPEG gives 3 (converted to RGB).</summary>
    Unchanged = 0,

    /// <summary>One channel. Color images are reduced to ITU-R 601-2 luma on the stored values
    /// (PIL's convert("L"), a JPEG's own Y channel); alpha is dropped without compositing.</summary>
    Gray = 1,

    /// <summary>Three channels: gray is repeated, alpha dropped without compositing.</summary>
    RGB = 2,

    /// <summary>Four channels: opaque alpha (255, or 65535 for 16-bit) is added where the file has none.</summary>
    RGBA = 3,
}
