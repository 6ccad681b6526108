using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// The photos a real folder holds besides good ones — each decodes correctly or is refused by name with its
/// reason, a folder of all of them prepares the good ones, and the summary counts each reason apart.
/// </summary>
public sealed class ImageFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-image-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static Tensor Gradient(int channels, int size) =>
        tensor(Enumerable.Range(0, channels * size * size).Select(i => (byte)(i * 37 % 251)).ToArray(), channels, size, size);

    /// <summary>The fault files, and what preparing each at LoadSize 8 must give: null (used) or the reason it is skipped.</summary>
    private Dictionary<string, SkipReason?> WriteFaultFolder()
    {
        using var scope = NewDisposeScope();
        var color = Image.encode_jpeg(Gradient(3, 32));
        var png = Image.encode_png(Gradient(3, 32));
        var files = new Dictionary<string, (byte[] bytes, SkipReason? reason)>
        {
            ["good.jpg"] = (color, null),
            ["empty.jpg"] = ([], SkipReason.Empty),
            ["page.jpg"] = ("<!DOCTYPE html><html><body>Not found</body></html>"u8.ToArray(), SkipReason.NotAnImage),
            ["truncated.jpg"] = (color[..(color.Length / 2)], SkipReason.Truncated),
            ["truncated.png"] = (png[..(png.Length / 2)], SkipReason.Truncated),
            ["corrupt.jpg"] = (Patched(color, SofOffset(color) + 4, 7), SkipReason.Corrupt), // sample precision 7 bits
            ["corrupt.png"] = (Patched(png, 8 + 25 + 8 + 2, 0x5A), SkipReason.Corrupt), // a byte of IDAT: its CRC fails
            ["sixteen_bit.png"] = (Image.encode_png((Gradient(3, 16).to(ScalarType.Int32) * 257)), null),
            ["cmyk.jpg"] = (File.ReadAllBytes(TestSupport.Fixture("images/cmyk16.jpg")), null),
            ["gray.jpg"] = (Image.encode_jpeg(Gradient(1, 16)), null),
            ["palette_alpha.png"] = (File.ReadAllBytes(TestSupport.Fixture("images/palette8_trns16.png")), null),
            ["rgba.png"] = (Image.encode_png(Gradient(4, 16)), null),
            ["one_pixel.png"] = (Image.encode_png(Gradient(3, 1)), SkipReason.TooSmall),
            ["huge.png"] = (PngClaiming(png, 60000, 60000), SkipReason.TooLarge),
            ["huge.jpg"] = (JpegClaiming(color, 60000, 60000), SkipReason.TooLarge),
        };
        foreach (var (name, (bytes, _)) in files) File.WriteAllBytes(Path.Combine(_dir, name), bytes);
        return files.ToDictionary(kv => kv.Key, kv => kv.Value.reason);
    }

    [Fact]
    public void Each_fault_file_decodes_correctly_or_is_refused_naming_the_file_and_the_reason()
    {
        var expected = WriteFaultFolder();
        using var scope = NewDisposeScope();
        foreach (var (name, reason) in expected)
        {
            var path = Path.Combine(_dir, name);
            if (reason is null or SkipReason.TooSmall)
            {
                var img = Image.read(path);
                Assert.True(img.size(1) > 0 && img.size(2) > 0, name);
                continue;
            }
            var e = Assert.ThrowsAny<Exception>(() => Image.read(path));
            Assert.Contains(path, e.Message);
            Assert.Equal(reason, SkippedFile.ReasonOf(e));
        }
        // The decoded pixels of the unusual layouts are right, not merely present.
        var sixteen = Image.read(Path.Combine(_dir, "sixteen_bit.png"));
        Assert.Equal(ScalarType.Int32, sixteen.dtype);
        Assert.Equal((Gradient(3, 16).to(ScalarType.Int32) * 257).ToArray<int>(), sixteen.ToArray<int>());
        var cmyk = Image.read(Path.Combine(_dir, "cmyk.jpg")).to(ScalarType.Int32);
        Assert.Equal([3L, 16, 16], cmyk.shape);
        AssertPixel(cmyk, 8, 2, (0, 255, 255), "cmyk.jpg left half (cyan)");
        AssertPixel(cmyk, 8, 13, (255, 255, 0), "cmyk.jpg right half (yellow)");
        var palette = Image.read(Path.Combine(_dir, "palette_alpha.png"));
        Assert.Equal([4L, 16, 16], palette.shape);
        Assert.Equal([255, 0, 0, 128], palette.select(2, 0).select(1, 0).ToArray<byte>()); // entry 0: red, half transparent
        Assert.Equal([0, 255, 0, 255], palette.select(2, 0).select(1, 4).ToArray<byte>()); // entry 1: green, opaque
        Assert.Equal([1L, 16, 16], Image.read(Path.Combine(_dir, "gray.jpg")).shape);
        Assert.Equal(Gradient(4, 16).ToArray<byte>(), Image.read(Path.Combine(_dir, "rgba.png")).ToArray<byte>());
        Assert.Equal([3L, 1, 1], Image.read(Path.Combine(_dir, "one_pixel.png")).shape);
    }

    [Fact]
    public void A_header_claiming_60000_by_60000_pixels_is_refused_naming_the_limit_and_the_setting_that_raises_it()
    {
        WriteFaultFolder();
        var e = Assert.Throws<TorchException>(() => Image.read(Path.Combine(_dir, "huge.jpg")));
        Assert.Contains("60000x60000", e.Message);
        Assert.Contains($"limit of {Image.MaxPixels}", e.Message);
        Assert.Contains("Lib.Imaging.Image.MaxPixels", e.Message);
        // The setting is the limit: lowered below a 16×16 image it refuses that one, and restored it lets it through.
        var before = Image.MaxPixels;
        try
        {
            Image.MaxPixels = 255;
            Assert.Contains("limit of 255", Assert.Throws<TorchException>(() => Image.read(Path.Combine(_dir, "rgba.png"))).Message);
        }
        finally { Image.MaxPixels = before; }
        using var ok = Image.read(Path.Combine(_dir, "rgba.png"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Image.MaxPixels = 0);
    }

    [Fact]
    public void A_png_header_claiming_more_pixels_than_its_bytes_can_hold_is_refused_before_allocating()
    {
        // 16000 × 16000 is under the pixel limit, but deflate cannot fit 768 MB of rows into a few hundred bytes.
        using var scope = NewDisposeScope();
        var small = Image.encode_png(Gradient(3, 32));
        var e = Assert.Throws<TorchException>(() => Image.decode(PngClaiming(small, 16000, 16000), name: "claims.png"));
        Assert.Contains($"claims.png: PNG header claims 16000x16000 pixels, more than its {small.Length} bytes can hold", e.Message);
        Assert.Equal(SkipReason.Corrupt, SkippedFile.ReasonOf(e));
        // A real large and highly compressible PNG (1024 × 1024 of one color) is well inside the bound.
        var flat = Image.encode_png(zeros([3, 1024, 1024], ScalarType.Byte), compression_level: 9);
        Assert.Equal([3L, 1024, 1024], Image.decode(flat).shape);
    }

    [Fact]
    public void A_folder_of_every_fault_prepares_the_usable_photos_and_its_summary_counts_each_reason_apart()
    {
        var expected = WriteFaultFolder();
        var files = expected.Keys.Select(n => Path.Combine(_dir, n)).Order().ToList();
        var log = new StringWriter();
        using (var kept = PreparedImages.Prepare(files, new PrepareOptions { LoadSize = 8, ExcludeGrayscale = false, Log = log }))
        {
            Assert.Equal(expected.Count(kv => kv.Value is null), kept.Count);
            foreach (var reason in Enum.GetValues<SkipReason>())
                Assert.Equal(expected.Count(kv => kv.Value == reason), kept.SkippedFor(reason));
            foreach (var (name, reason) in expected.Where(kv => kv.Value is not null))
                Assert.Contains($"skipped {Path.Combine(_dir, name)}:", log.ToString());
            var summary = kept.ToString();
            Assert.Contains("1 grayscale photos kept (ExcludeGrayscale = false)", summary);
            Assert.Contains("1 smaller than 8 px (photos are not scaled up", summary);
            Assert.Contains("2 truncated", summary);
            Assert.Contains("2 corrupt", summary);
            Assert.Contains("2 larger than Image.MaxPixels", summary);
            Assert.Contains("1 empty", summary);
            Assert.Contains("1 not PNG or JPEG", summary);
            Assert.DoesNotContain("failed to decode", summary);
            Assert.DoesNotContain("left out", summary);
        }
        using var excluded = PreparedImages.Prepare(files, new PrepareOptions { LoadSize = 8, Log = TextWriter.Null });
        Assert.Equal(expected.Count(kv => kv.Value is null) - 1, excluded.Count);
        Assert.Contains("1 grayscale photos left out (ExcludeGrayscale)", excluded.ToString());
    }

    [Fact]
    public void A_sixteen_bit_png_prepares_like_its_eight_bit_twin()
    {
        using var scope = NewDisposeScope();
        var eight = Gradient(3, 16);
        Image.write_png(eight, Path.Combine(_dir, "a8.png"));
        Image.write_png(eight.to(ScalarType.Int32) * 257, Path.Combine(_dir, "a16.png"));
        using var a = PreparedImages.Prepare([Path.Combine(_dir, "a8.png")], new PrepareOptions { LoadSize = 16, Log = TextWriter.Null });
        using var b = PreparedImages.Prepare([Path.Combine(_dir, "a16.png")], new PrepareOptions { LoadSize = 16, Log = TextWriter.Null });
        Assert.Equal(a.Images.ToArray<byte>(), b.Images.ToArray<byte>());
    }

    private static void AssertPixel(Tensor chw, int y, int x, (int r, int g, int b) rgb, string what)
    {
        var got = chw.select(1, y).select(1, x).ToArray<int>();
        Assert.True(Math.Abs(got[0] - rgb.r) <= 8 && Math.Abs(got[1] - rgb.g) <= 8 && Math.Abs(got[2] - rgb.b) <= 8,
            $"{what}: ({string.Join(", ", got)}) instead of {rgb}");
    }

    private static byte[] Patched(byte[] bytes, int offset, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[offset] = value;
        return copy;
    }

    /// <summary>Where a JPEG's SOF0/SOF2 marker starts (FF C0 or FF C2): then length (2), precision (1), height (2), width (2).</summary>
    internal static int SofOffset(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC2) return i;
        throw new InvalidOperationException("no SOF marker");
    }

    internal static byte[] JpegClaiming(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        var sof = SofOffset(copy);
        (copy[sof + 5], copy[sof + 6], copy[sof + 7], copy[sof + 8]) = ((byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width);
        return copy;
    }

    /// <summary>A PNG whose IHDR claims another size, its CRC recomputed so that only the size is wrong.</summary>
    internal static byte[] PngClaiming(byte[] png, int width, int height)
    {
        var copy = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
