using Lib.Data;
using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>
/// Phone photos carry an EXIF orientation; decoding with apply_exif_orientation shows them as PIL's exif_transpose does.
/// Fixtures: tools/make_exif_fixtures.py (one stored picture, eight tags, PIL's upright result for each).
/// </summary>
public sealed class ExifOrientationTests
{
    private static string Jpeg(int n) => TestSupport.Fixture($"images/exif/orientation_{n}.jpg");
    private static string Upright(int n) => TestSupport.Fixture($"images/exif/orientation_{n}_upright.png");

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Every_orientation_is_read_and_turned_as_PIL_turns_it(int n)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(n, ExifOrientation.read(File.ReadAllBytes(Jpeg(n))));
        var stored = Image.read(Jpeg(n), ImageReadMode.RGB);
        Assert.Equal([3L, 16, 24], stored.shape);
        var turned = Image.read(Jpeg(n), ImageReadMode.RGB, apply_exif_orientation: true);
        var expected = Image.read(Upright(n), ImageReadMode.RGB);
        Assert.Equal(expected.shape, turned.shape);
        var diff = (turned.to(ScalarType.Float32) - expected.to(ScalarType.Float32)).abs().max().item<float>();
        // Both decode with libjpeg-turbo; the blocks differ by 150+ levels, so a wrong turn cannot pass.
        Assert.True(diff <= 2, $"orientation {n}: max difference {diff} levels from PIL's exif_transpose");
    }

    [Fact]
    public void A_PNG_or_a_damaged_EXIF_block_counts_as_upright()
    {
        Assert.Equal(1, ExifOrientation.read(File.ReadAllBytes(Upright(6))));
        Assert.Equal(1, ExifOrientation.parse("Exif\0\0XX\0*\0\0\0\u0008"u8));
        Assert.Equal(1, ExifOrientation.parse("JFIF\0\0II*\0\u0008\0\0\0\0\0"u8));
        // IFD0 claims 40 entries but the block ends after the header.
        Assert.Equal(1, ExifOrientation.parse([.. "Exif\0\0II*\0"u8, 8, 0, 0, 0, 40, 0]));
        // A tag value outside 1..8 (here 9) is ignored as viewers ignore it.
        Assert.Equal(1, ExifOrientation.parse([.. "Exif\0\0II*\0"u8, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(6, ExifOrientation.parse([.. "Exif\0\0II*\0"u8, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void The_data_loaders_see_the_photo_upright()
    {
        using var scope = NewDisposeScope();
        // Orientation 6 is stored 24 wide, 16 high and shown 16 wide, 24 high: the 16-pixel center square is rows 4..19 of the upright picture.
        using var prepared = PreparedImages.Prepare([Jpeg(6)], new PrepareOptions { LoadSize = 16, ExcludeGrayscale = false, Parallelism = 1, Log = TextWriter.Null });
        var expected = Image.read(Upright(6), ImageReadMode.RGB).narrow(1, 4, 16).to(ScalarType.Float32);
        var diff = (prepared.Images[0].to(ScalarType.Float32) - expected).abs().max().item<float>();
        Assert.True(diff <= 3, $"the prepared square differs from the upright photo's center by {diff} levels");
    }

    [Fact]
    public void A_wrong_orientation_value_is_refused_by_name()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ExifOrientation.apply(zeros(3, 2, 2), 9));
        Assert.Contains("1..8", e.Message);
    }
}
