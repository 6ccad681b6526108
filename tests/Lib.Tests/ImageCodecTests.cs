using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// PNG/JPEG decode and encode (lib/Imaging, native/src/image_codec.cpp). The fixtures under
/// tests/fixtures/images come from tools/make_image_fixtures.py; the expected pixels here repeat
/// its formulas.
/// </summary>
public sealed class ImageCodecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lib-img-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static string ImageFixture(string name) => TestSupport.Fixture(Path.Combine("images", name));

    /// <summary>PIL's convert("L"), which Gray mode follows.</summary>
    private static long Luma(long r, long g, long b) => (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;

    /// <summary>A smooth C×H×W uint8 image: JPEG's error on it is small and predictable.</summary>
    private static byte[] Smooth(int c, int h, int w)
    {
        var data = new byte[c * h * w];
        for (var k = 0; k < c; k++)
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    data[(k * h + y) * w + x] = (byte)(30 + k * 40 + x + y + (int)(20 * Math.Sin((x + k * 7) / 9.0)));
        return data;
    }

    private static double MeanAbsError(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum / a.Length;
    }

    private static void AssertPixels(Tensor image, ScalarType dtype, long[] shape, int[] expected)
    {
        Assert.Equal(dtype, image.dtype);
        Assert.Equal(shape, image.shape);
        Assert.True(image.is_contiguous());
        Assert.Equal(expected, image.ToArray<int>());
    }

    // ---- round trips -------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Png_round_trip_is_exact_for_8_bit_images(int channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(channels);
        var image = randint(0, 256, [channels, 17, 23], uint8);
        var path = Temp($"c{channels}.png");
        Image.write_png(image, path);
        var back = Image.read(path);
        AssertPixels(back, ScalarType.Byte, [channels, 17, 23], image.ToArray<int>());

        var bytes = Image.encode_png(image, compression_level: 9);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        AssertPixels(Image.decode(bytes), ScalarType.Byte, [channels, 17, 23], image.ToArray<int>());
    }

    [Fact]
    public void Png_round_trip_is_exact_for_16_bit_images_held_as_int32()
    {
        using var scope = NewDisposeScope();
        manual_seed(16);
        var image = randint(0, 65536, [3, 9, 11], int32);
        var values = image.ToArray<int>();
        values[0] = 0;
        values[1] = 65535;
        values[2] = 0x0102;
        image = tensor(values, [3, 9, 11]);
        var path = Temp("deep.png");
        Image.write_png(image, path);
        AssertPixels(Image.read(path), ScalarType.Int32, [3, 9, 11], values);
    }

    [Fact]
    public void Float_images_are_clamped_to_the_unit_range_scaled_and_rounded()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new float[] { -0.5f, 0f, 0.1f, 0.5f, 0.999f, 1f, 1.7f, 0.25f }, [1, 2, 4]);
        var path = Temp("float.png");
        Image.write_png(image, path);
        // torch.round halves to even: 0.5·255 = 127.5 → 128, 0.25·255 = 63.75 → 64
        AssertPixels(Image.read(path), ScalarType.Byte, [1, 2, 4], [0, 0, 26, 128, 255, 255, 255, 64]);
    }

    [Fact]
    public void Two_dimensional_images_are_written_as_gray()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new byte[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var path = Temp("hw.png");
        Image.write_png(image, path);
        AssertPixels(Image.read(path), ScalarType.Byte, [1, 2, 3], [1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public void Jpeg_round_trip_is_close_at_quality_95()
    {
        using var scope = NewDisposeScope();
        var pixels = Smooth(3, 48, 64);
        var path = Temp(Path.Combine("nested", "deeper", "rgb.jpg"));
        Image.write_jpeg(tensor(pixels, [3, 48, 64]), path, quality: 95);
        var back = Image.read(path);
        Assert.Equal(ScalarType.Byte, back.dtype);
        Assert.Equal(new long[] { 3, 48, 64 }, back.shape);
        var error = MeanAbsError(pixels, back.ToArray<byte>());
        Assert.True(error < 2.0, $"mean absolute error {error}");

        var memory = Image.encode_jpeg(tensor(pixels, [3, 48, 64]), quality: 95);
        Assert.Equal(File.ReadAllBytes(path), memory);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));  // no temporary file left behind
    }

    [Fact]
    public void Gray_jpeg_reads_as_one_channel_or_as_repeated_rgb()
    {
        using var scope = NewDisposeScope();
        var pixels = Smooth(1, 40, 56);
        var path = Temp("gray.jpg");
        Image.write_jpeg(tensor(pixels, [1, 40, 56]), path, quality: 95);
        var gray = Image.read(path);
        Assert.Equal(new long[] { 1, 40, 56 }, gray.shape);
        Assert.True(MeanAbsError(pixels, gray.ToArray<byte>()) < 1.5);

        var rgb = Image.read(path, ImageReadMode.RGB);
        Assert.Equal(new long[] { 3, 40, 56 }, rgb.shape);
        var g = gray.ToArray<byte>();
        Assert.Equal(g.Concat(g).Concat(g).ToArray(), rgb.ToArray<byte>());

        var rgba = Image.read(path, ImageReadMode.RGBA).ToArray<byte>();
        Assert.Equal(g, rgba[..g.Length]);
        Assert.All(rgba[(3 * g.Length)..], a => Assert.Equal(255, a));
    }

    [Fact]
    public void Color_jpeg_reads_as_gray_luma_and_as_opaque_rgba()
    {
        using var scope = NewDisposeScope();
        var pixels = Smooth(3, 32, 40);
        var path = Temp("color.jpg");
        Image.write_jpeg(tensor(pixels, [3, 32, 40]), path, quality: 95);
        var n = 32 * 40;

        var gray = Image.read(path, ImageReadMode.Gray);
        Assert.Equal(new long[] { 1, 32, 40 }, gray.shape);
        var luma = Enumerable.Range(0, n).Select(i => (byte)Luma(pixels[i], pixels[n + i], pixels[2 * n + i])).ToArray();
        Assert.True(MeanAbsError(luma, gray.ToArray<byte>()) < 1.5);

        var rgba = Image.read(path, ImageReadMode.RGBA);
        Assert.Equal(new long[] { 4, 32, 40 }, rgba.shape);
        var values = rgba.ToArray<byte>();
        Assert.Equal(Image.read(path).ToArray<byte>(), values[..(3 * n)]);
        Assert.All(values[(3 * n)..], a => Assert.Equal(255, a));
    }

    // ---- PNG layouts the encoder does not write (fixtures) -----------------------------------

    [Fact]
    public void Palette_png_with_trns_expands_to_rgba()
    {
        using var scope = NewDisposeScope();
        int[][] palette = [[255, 0, 0, 255], [0, 255, 0, 128], [0, 0, 255, 0], [255, 255, 255, 255]];
        var rgba = new int[4 * 15];
        for (var y = 0; y < 3; y++)
            for (var x = 0; x < 5; x++)
                for (var c = 0; c < 4; c++)
                    rgba[c * 15 + y * 5 + x] = palette[(x + 2 * y) % 4][c];
        var path = ImageFixture("palette4_trns.png");
        AssertPixels(Image.read(path), ScalarType.Byte, [4, 3, 5], rgba);
        AssertPixels(Image.read(path, ImageReadMode.RGBA), ScalarType.Byte, [4, 3, 5], rgba);
        AssertPixels(Image.read(path, ImageReadMode.RGB), ScalarType.Byte, [3, 3, 5], rgba[..45]);
        var gray = Enumerable.Range(0, 15).Select(i => (int)Luma(rgba[i], rgba[15 + i], rgba[30 + i])).ToArray();
        AssertPixels(Image.read(path, ImageReadMode.Gray), ScalarType.Byte, [1, 3, 5], gray);
    }

    [Fact]
    public void Gray_alpha_png_keeps_two_channels_unless_asked_otherwise()
    {
        using var scope = NewDisposeScope();
        var gray = new int[12];
        var alpha = new int[12];
        for (var y = 0; y < 3; y++)
            for (var x = 0; x < 4; x++)
            {
                gray[y * 4 + x] = 20 * x + 60 * y;
                alpha[y * 4 + x] = 255 - 40 * x - 10 * y;
            }
        var path = ImageFixture("gray_alpha8.png");
        AssertPixels(Image.read(path), ScalarType.Byte, [2, 3, 4], [.. gray, .. alpha]);
        AssertPixels(Image.read(path, ImageReadMode.Gray), ScalarType.Byte, [1, 3, 4], gray);
        AssertPixels(Image.read(path, ImageReadMode.RGB), ScalarType.Byte, [3, 3, 4], [.. gray, .. gray, .. gray]);
        AssertPixels(Image.read(path, ImageReadMode.RGBA), ScalarType.Byte, [4, 3, 4], [.. gray, .. gray, .. gray, .. alpha]);
    }

    [Fact]
    public void Sixteen_bit_rgb_png_reads_as_exact_int32()
    {
        using var scope = NewDisposeScope();
        var r = new int[6];
        var g = new int[6];
        var b = new int[6];
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 3; x++)
            {
                r[y * 3 + x] = 1000 * x + 30000 * y;
                g[y * 3 + x] = 65535 - r[y * 3 + x];
                b[y * 3 + x] = 258 + 12345 * x * y;
            }
        var path = ImageFixture("rgb16.png");
        AssertPixels(Image.read(path), ScalarType.Int32, [3, 2, 3], [.. r, .. g, .. b]);
        AssertPixels(Image.read(path, ImageReadMode.RGBA), ScalarType.Int32, [4, 2, 3], [.. r, .. g, .. b, .. Enumerable.Repeat(65535, 6)]);
        var gray = Enumerable.Range(0, 6).Select(i => (int)Luma(r[i], g[i], b[i])).ToArray();
        AssertPixels(Image.read(path, ImageReadMode.Gray), ScalarType.Int32, [1, 2, 3], gray);
    }

    [Fact]
    public void Two_bit_gray_png_expands_to_8_bits()
    {
        using var scope = NewDisposeScope();
        var expected = new int[12];
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 6; x++) expected[y * 6 + x] = (x + y) % 4 * 85;
        AssertPixels(Image.read(ImageFixture("gray2.png")), ScalarType.Byte, [1, 2, 6], expected);
    }

    [Fact]
    public void Interlaced_png_decodes_whole()
    {
        using var scope = NewDisposeScope();
        var expected = new int[3 * 35];
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 7; x++)
            {
                expected[y * 7 + x] = 10 * x + 3 * y;
                expected[35 + y * 7 + x] = 200 - 20 * y;
                expected[70 + y * 7 + x] = 7 * x * y;
            }
        AssertPixels(Image.read(ImageFixture("rgb8_adam7.png")), ScalarType.Byte, [3, 5, 7], expected);
    }

    // ---- bad files ---------------------------------------------------------------------------

    private byte[] ValidPng()
    {
        using var scope = NewDisposeScope();
        return Image.encode_png(tensor(Smooth(3, 32, 32), [3, 32, 32]), compression_level: 0);
    }

    private byte[] ValidJpeg()
    {
        using var scope = NewDisposeScope();
        return Image.encode_jpeg(tensor(Smooth(3, 64, 64), [3, 64, 64]), quality: 95);
    }

    private string ReadFails(string name, byte[] contents, params string[] fragments)
    {
        var path = Temp(name);
        File.WriteAllBytes(path, contents);
        var before = TestSupport.SettledLiveCount();
        var e = Assert.Throws<TorchException>(() => Image.read(path));
        Assert.Equal(before, LiveTensorCount);
        Assert.Contains(path, e.Message);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        return e.Message;
    }

    [Fact]
    public void Corrupt_png_names_the_file()
    {
        var random = new byte[200];
        new Random(1).NextBytes(random);
        ReadFails("random.png", [.. ValidPng()[..8], .. random], "PNG");

        // A flipped byte inside the image data (zlib's checksum catches it before the chunk CRC).
        var png = ValidPng();
        png[png.Length / 2] ^= 0x55;
        ReadFails("flipped.png", png, "corrupt PNG");
    }

    [Fact]
    public void Corrupt_jpeg_names_the_file()
    {
        var jpeg = ValidJpeg();
        var garbage = new byte[64];
        new Random(2).NextBytes(garbage);
        garbage.CopyTo(jpeg, jpeg.Length / 2);
        ReadFails("garbage.jpg", jpeg, "JPEG");
    }

    [Fact]
    public void Truncated_files_name_the_file_and_say_so()
    {
        var png = ValidPng();
        ReadFails("half.png", png[..(png.Length / 2)], "PNG data is truncated");
        ReadFails("no-iend.png", png[..^12], "PNG data is truncated");
        ReadFails("signature.png", png[..5], "PNG data is truncated");
        var jpeg = ValidJpeg();
        ReadFails("half.jpg", jpeg[..(jpeg.Length / 2)], "JPEG data is truncated", "Premature end of JPEG file");
        ReadFails("header.jpg", jpeg[..40], "JPEG data is truncated");
    }

    [Fact]
    public void Other_formats_and_empty_files_are_refused_by_name()
    {
        ReadFails("notes.png", "just some text\n"u8.ToArray(), "not a PNG or JPEG image");
        ReadFails("anim.jpg", [.. "GIF89a"u8.ToArray(), 1, 0, 1, 0, 0, 0, 0], "not a PNG or JPEG image", "GIF");
        ReadFails("empty.png", [], "empty");
    }

    [Fact]
    public void Missing_file_is_a_FileNotFoundException_naming_it()
    {
        var path = Temp(Path.Combine("nowhere", "missing.png"));
        var e = Assert.Throws<FileNotFoundException>(() => Image.read(path));
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void In_memory_decode_errors_use_the_given_name()
    {
        var e = Assert.Throws<TorchException>(() => Image.decode("hello"u8));
        Assert.StartsWith("<memory>: ", e.Message);
        e = Assert.Throws<TorchException>(() => Image.decode(ValidPng()[..100], name: "grid #3"));
        Assert.StartsWith("grid #3: PNG data is truncated", e.Message);
    }

    // ---- bad tensors -------------------------------------------------------------------------

    [Fact]
    public void Writes_validate_the_tensor_and_name_its_shape()
    {
        using var scope = NewDisposeScope();
        var path = Temp("bad.png");
        var e = Assert.Throws<ArgumentException>(() => Image.write_png(zeros([1, 3, 4, 4], uint8), path));
        Assert.Contains(path, e.Message);
        Assert.Contains("[1, 3, 4, 4]", e.Message);

        e = Assert.Throws<ArgumentException>(() => Image.write_jpeg(zeros([4, 8, 8], uint8), Temp("rgba.jpg")));
        Assert.Contains("[4, 8, 8]", e.Message);
        Assert.Contains("no alpha", e.Message);

        e = Assert.Throws<ArgumentException>(() => Image.write_png(zeros([8, 8, 3], uint8), path));
        Assert.Contains("permute(2, 0, 1)", e.Message);

        e = Assert.Throws<ArgumentException>(() => Image.write_png(zeros([3, 8, 8], int64), path));
        Assert.Contains("torch.int64", e.Message);

        var t = Assert.Throws<TorchException>(() => Image.write_png(full([1, 2, 2], 70000, int32), path));
        Assert.Contains("0..65535", t.Message);
        Assert.Contains(path, t.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => Image.write_jpeg(zeros([3, 8, 8], uint8), path, quality: 0));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Reading_and_writing_in_a_scope_leaves_no_tensor_alive()
    {
        var before = TestSupport.SettledLiveCount();
        using (NewDisposeScope())
        {
            var image = rand(3, 16, 16);
            Image.write_png(image, Temp("a.png"));
            Image.write_jpeg(image, Temp("a.jpg"));
            Image.read(Temp("a.png"), ImageReadMode.Gray);
            Image.read(Temp("a.jpg"));
            Image.encode_png(image);
        }
        Assert.Equal(before, LiveTensorCount);
    }
}
