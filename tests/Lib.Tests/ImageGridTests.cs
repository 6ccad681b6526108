using Lib.Imaging;
using Lib.Plots;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

/// <summary>Sample grids carry their column titles and row names in the pixels, legibly, and leave the images as they were.</summary>
public sealed class ImageGridTests
{
    // Mid-gray images: neither the white of the bands nor the black of the text.
    private static Tensor Images(int n = 2, int size = 64) => ones(n, 3, size, size) * 0.5;

    private static ImageGrid Grid(params string[] titles)
    {
        var grid = new ImageGrid();
        foreach (var t in titles) grid.Column(t, Images());
        return grid;
    }

    /// <summary>Rows [top, top + height) and columns [left, left + width) of channel 0.</summary>
    private static float[] Region(Tensor image, long top, long height, long left, long width) =>
        image.select(0, 0).narrow(0, top, height).narrow(1, left, width).contiguous().ToArray<float>();

    private static long HeaderHeight(Tensor titled, Tensor plain) => titled.size(1) - plain.size(1);

    /// <summary>How many rows of a W-wide plane hold any ink, from the first such row to the last.</summary>
    private static int InkedSpan(float[] plane, int width)
    {
        var rows = Enumerable.Range(0, plane.Length / width).Where(r => plane.Skip(r * width).Take(width).Any(v => v < 0.5)).ToList();
        return rows.Count == 0 ? 0 : rows[^1] - rows[0] + 1;
    }

    [Fact]
    public void A_narrow_column_gets_smaller_type_rather_than_a_broken_word()
    {
        using var scope = NewDisposeScope();
        // 64-px columns (a colorizer's samples at scale 1): "prediction" fits on one line only at the 1x font.
        var plain = new ImageGrid().Column("", zeros(1, 3, 64, 64)).Column("", zeros(1, 3, 64, 64)).ToTensor();
        var titled = new ImageGrid().Column("gray", zeros(1, 3, 64, 64)).Column("prediction", zeros(1, 3, 64, 64)).ToTensor();
        Assert.True(HeaderHeight(titled, plain) < 2 * PixelFont.LineHeight, $"header {HeaderHeight(titled, plain)} px: the word was broken over lines");
    }

    [Fact]
    public void A_title_is_dark_text_in_a_white_band_above_its_column_and_the_images_below_are_unchanged()
    {
        using var scope = NewDisposeScope();
        var plain = Grid("", "").ToTensor();
        var titled = Grid("gray", "").ToTensor();
        var header = HeaderHeight(titled, plain);
        Assert.True(header >= 10, $"header band {header} px");
        Assert.Equal(plain.size(2), titled.size(2));
        Assert.Equal(0, (titled.narrow(1, header, plain.size(1)) - plain).abs().max().item<float>());

        var cell = plain.size(2) / 2;
        var under = Region(titled, 0, header, 0, cell);
        Assert.Contains(under, v => v == 0);
        Assert.All(under, v => Assert.True(v == 0 || v == 1, $"header pixel {v}: text should be dark on white"));
        Assert.True(InkedSpan(under, (int)cell) >= 10, "glyphs under 10 px tall");
        Assert.All(Region(titled, 0, header, cell, cell), v => Assert.Equal(1, v));
        var band = titled.narrow(1, 0, header);
        Assert.Equal(0, (band.select(0, 0) - band.select(0, 1)).abs().max().item<float>());
        Assert.Equal(0, (band.select(0, 0) - band.select(0, 2)).abs().max().item<float>());
    }

    [Theory]
    [InlineData("LR", "HR")]
    [InlineData("gray", "truth")]
    [InlineData("SR", "RS")]
    public void Different_titles_draw_different_pixels(string a, string b)
    {
        using var scope = NewDisposeScope();
        var x = Grid(a).ToTensor();
        var y = Grid(b).ToTensor();
        Assert.Equal(x.shape, y.shape);
        Assert.True((x - y).abs().max().item<float>() > 0, $"'{a}' and '{b}' look the same");
    }

    [Fact]
    public void Row_names_widen_the_grid_on_the_left_and_leave_the_rest_as_it_was()
    {
        using var scope = NewDisposeScope();
        var unnamed = Grid("gray", "truth").ToTensor();
        var named = Grid("gray", "truth").RowNames("first", "second").ToTensor();
        Assert.Equal(unnamed.size(1), named.size(1));
        var left = named.size(2) - unnamed.size(2);
        Assert.True(left > 0, "no row-name band");
        Assert.Equal(0, (named.narrow(2, left, unnamed.size(2)) - unnamed).abs().max().item<float>());

        var header = HeaderHeight(unnamed, Grid("", "").ToTensor());
        var row = (unnamed.size(1) - header) / 2;
        Assert.All(Region(named, 0, header, 0, left), v => Assert.Equal(1, v));
        Assert.Contains(Region(named, header, row, 0, left), v => v == 0);
        Assert.Contains(Region(named, header + row, row, 0, left), v => v == 0);
        Assert.NotEqual(Region(named, header, row, 0, left), Region(named, header + row, row, 0, left));
    }

    [Fact]
    public void Row_names_are_one_per_sample()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Grid("gray").RowNames("only one").ToTensor());
        Assert.Contains("1 row names for 2 rows", e.Message);
    }

    [Fact]
    public void A_long_title_wraps_within_its_column_and_a_very_long_one_stops_at_four_lines()
    {
        using var scope = NewDisposeScope();
        var plain = Grid("", "").ToTensor();
        var one = HeaderHeight(Grid("SR", "").ToTensor(), plain);
        var wrapped = Grid("pix2pix + γ-mix (γ = 0.5)", "").ToTensor();
        Assert.Equal(plain.size(2), wrapped.size(2));
        Assert.True(HeaderHeight(wrapped, plain) > one, "the long title was not wrapped");
        var cell = plain.size(2) / 2;
        Assert.All(Region(wrapped, 0, HeaderHeight(wrapped, plain), cell, cell), v => Assert.Equal(1, v));

        var four = HeaderHeight(Grid("aaaa bbbb cccc dddd", "").ToTensor(), plain);
        var many = HeaderHeight(Grid(string.Join(" ", Enumerable.Repeat("aaaa", 40)), "").ToTensor(), plain);
        Assert.Equal(four, many);
        Assert.True(four > one * 3, $"four lines in {four} px, one in {one}");
    }

    [Fact]
    public void Wrapping_breaks_at_spaces_splits_words_longer_than_a_line_and_marks_what_it_cut()
    {
        Assert.Equal(["a.", "colorize", "-> upscale"], PixelFont.Wrap("a. colorize → upscale", 10, 4));
        Assert.Equal(["classific-", "ation"], PixelFont.Wrap("classification", 10, 4));
        Assert.Equal(["coarse-to-", "fine"], PixelFont.Wrap("coarse-to-fine", 12, 4));
        Assert.Equal(["predi", "ction"], PixelFont.Wrap("prediction", 5, 4));
        Assert.Equal(["ab", "cd", "e"], PixelFont.Wrap("abcde", 2, 4));
        Assert.Equal(["abcd", "e..."], PixelFont.Wrap("abcdefghijkl", 4, 2));
        Assert.Equal(["classific-", "ation..."], PixelFont.Wrap("classification network", 10, 2));
        Assert.Equal(["report's", "U-Net"], PixelFont.Wrap("report's U-Net", 8, 4));
        Assert.Equal(["two", "lines"], PixelFont.Wrap("two\nlines", 20, 4));
        Assert.Empty(PixelFont.Wrap("  ", 5, 4));
    }

    [Theory]
    [InlineData("a → b", "a -> b")]
    [InlineData("γ-mix", "g-mix")]
    [InlineData("256×256", "256x256")]
    [InlineData("café", "cafe")]
    [InlineData("x · y", "x . y")]
    [InlineData("wait…", "wait...")]
    [InlineData("中", "?")]
    [InlineData("🙂", "?")]
    public void Characters_outside_ascii_are_drawn_as_their_ascii_spelling(string title, string spelled)
    {
        Assert.Equal(spelled, PixelFont.ToAscii(title));
        using var scope = NewDisposeScope();
        var drawn = Grid(title).ToTensor();
        var expected = Grid(spelled).ToTensor();
        Assert.Equal(expected.shape, drawn.shape);
        Assert.Equal(0, (drawn - expected).abs().max().item<float>());
    }

    [Fact]
    public void Every_printable_character_has_its_own_glyph()
    {
        var characters = Enumerable.Range(33, 94).Select(c => (char)c).ToList();
        var glyphs = characters.Select(c =>
        {
            var canvas = new float[PixelFont.GlyphWidth * PixelFont.GlyphHeight];
            PixelFont.Draw(canvas, PixelFont.GlyphWidth, c.ToString(), 0, 0, 1, 1f);
            return string.Concat(canvas.Select(v => v > 0 ? '#' : '.'));
        }).ToList();
        Assert.All(characters.Zip(glyphs), p => Assert.True(p.Second.Contains('#'), $"'{p.First}' draws nothing"));
        var twins = glyphs.GroupBy(g => g).Where(g => g.Count() > 1).Select(g => string.Concat(characters.Where((_, i) => glyphs[i] == g.Key)));
        Assert.Empty(twins);
    }

    [Fact]
    public void Text_grows_with_the_grid_scale()
    {
        using var scope = NewDisposeScope();
        int Span(int scale)
        {
            var titled = Grid("H").ToTensor(scale: scale);
            var width = (int)titled.size(2);
            return InkedSpan(Region(titled, 0, HeaderHeight(titled, Grid("").ToTensor(scale: scale)), 0, width), width);
        }
        Assert.True(Span(1) >= 10, $"'H' is {Span(1)} px tall");
        Assert.True(Span(3) > Span(1), $"'H' is {Span(3)} px tall at scale 3 and {Span(1)} px at scale 1");
    }

    [Fact]
    public void The_png_holds_the_titled_grid()
    {
        using var scope = NewDisposeScope();
        var grid = Grid("gray", "prediction", "truth").RowNames("a", "b");
        var t = grid.ToTensor(pad: 3, scale: 2);
        var dir = Path.Combine(Path.GetTempPath(), "imagegrid-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var decoded = Image.read(grid.Save(Path.Combine(dir, "samples.png"), pad: 3, scale: 2));
            Assert.Equal(t.shape, decoded.shape);
            // Mid-gray 0.5 lands half a byte level away; text and background are exact.
            Assert.True((decoded.to(ScalarType.Float32).div(255) - t).abs().max().item<float>() <= 0.5 / 255 + 1e-6);
            Assert.Equal(Convert.ToBase64String(grid.ToPng(3, 2)), grid.ToBase64Png(3, 2));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Drawing_a_grid_leaves_no_tensor_behind()
    {
        var images = Images();
        var grid = new ImageGrid().Column("gray", images).Column("a. colorize → upscale", images).RowNames("one", "two");
        var path = Path.Combine(Path.GetTempPath(), "imagegrid-leak-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            grid.ToTensor().Dispose();
            var before = TestSupport.SettledLiveCount();
            for (var i = 0; i < 3; i++)
            {
                grid.ToTensor(scale: 2).Dispose();
                grid.ToPng();
                grid.ToBase64Png(pad: 0);
                grid.Save(path);
            }
            Assert.Equal(before, TestSupport.SettledLiveCount());
        }
        finally
        {
            images.Dispose();
            File.Delete(path);
        }
    }
}
