using Lib.Torch;

namespace Lib.Data;

/// <summary>Why <see cref="PreparedImages.Prepare"/> left a file out; the summary counts each reason apart.</summary>
public enum SkipReason
{
    /// <summary>The file could not be read (missing, a folder, no permission, an I/O error).</summary>
    Unreadable,

    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>Not a PNG or JPEG (an HTML page, a GIF, a WebP... whatever its name says).</summary>
    NotAnImage,

    /// <summary>A PNG or JPEG that ends early (an interrupted download).</summary>
    Truncated,

    /// <summary>A PNG or JPEG with damaged data (bad checksum, bad Huffman code, bad header).</summary>
    Corrupt,

    /// <summary>A JPEG color space the decoder does not handle.</summary>
    Unsupported,

    /// <summary>A header claiming more pixels than <see cref="Imaging.Image.MaxPixels"/>; refused before allocating.</summary>
    TooLarge,

    /// <summary>Decoded fine, but its shorter side is below <see cref="PrepareOptions.LoadSize"/>; photos are not scaled up.</summary>
    TooSmall,
}

/// <summary>A file left out of a prepared set, with the reason and the decoder's own message.</summary>
public sealed record SkippedFile(string File, SkipReason Reason, string Message)
{
    /// <summary>
    /// The reason behind a decode failure. The codec reports errors as messages (native/src/image_codec.cpp);
    /// the phrases matched here are its own, and DataTests checks each fault file lands on its reason.
    /// </summary>
    public static SkipReason ReasonOf(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException => SkipReason.Unreadable,
        TorchException t when t.Message.Contains("the file is empty") => SkipReason.Empty,
        TorchException t when t.Message.Contains("not a PNG or JPEG") => SkipReason.NotAnImage,
        TorchException t when t.Message.Contains("truncated") => SkipReason.Truncated,
        TorchException t when t.Message.Contains("Image.MaxPixels") => SkipReason.TooLarge,
        TorchException t when t.Message.Contains("unsupported") => SkipReason.Unsupported,
        _ => SkipReason.Corrupt,
    };

    /// <summary>How the summary names a count of files skipped for <paramref name="reason"/>.</summary>
    public static string Describe(SkipReason reason, int count, int loadSize) => reason switch
    {
        SkipReason.Unreadable => $"{count} unreadable",
        SkipReason.Empty => $"{count} empty (0 bytes)",
        SkipReason.NotAnImage => $"{count} not PNG or JPEG",
        SkipReason.Truncated => $"{count} truncated",
        SkipReason.Corrupt => $"{count} corrupt",
        SkipReason.Unsupported => $"{count} in an unsupported color space",
        SkipReason.TooLarge => $"{count} larger than Image.MaxPixels ({Imaging.Image.MaxPixels} pixels)",
        SkipReason.TooSmall => $"{count} smaller than {loadSize} px (photos are not scaled up; lower LoadSize to use them)",
        _ => $"{count} {reason}",
    };
}
