using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Plots;

/// <summary>
/// Lays out columns of images side by side (e.g. gray | prediction | truth), one row per sample, as
/// one PNG: written under results/ and shown inline with <c>display(grid.Base64, "image/png")</c>.
/// Each column's title is drawn above it and, when given, each row's name at its left
/// (<see cref="PixelFont"/>, dark on white), so a saved PNG says which column is which on its own.
/// </summary>
public sealed class ImageGrid
{
    // Beyond this a wrapped title ends in "...": a header taller than the images would bury them.
    private const int MaxTitleLines = 4;

    // Row names wrap at this width so one long name cannot turn the grid into mostly margin.
    private const int RowNameCharacters = 16;

    private const float Ink = 0f;

    private readonly List<(string title, Tensor images)> _columns = [];
    private string[]? _rowNames;

    /// <summary>Adds a column: N×3×H×W (or N×1×H×W) floats in [0, 1]; every column needs the same N, H and W.</summary>
    public ImageGrid Column(string title, Tensor images)
    {
        if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3))
            throw new ArgumentException($"column '{title}': expected N×3×H×W or N×1×H×W images, got [{string.Join(", ", images.shape)}]");
        if (_columns.Count > 0 && !_columns[0].images.shape.Where((_, i) => i != 1).SequenceEqual(images.shape.Where((_, i) => i != 1)))
            throw new ArgumentException($"column '{title}' has shape [{string.Join(", ", images.shape)}] but '{_columns[0].title}' has [{string.Join(", ", _columns[0].images.shape)}]");
        _columns.Add((title ?? "", images));
        return this;
    }

    /// <summary>Names the rows, top to bottom, one per sample; checked against N when the grid is drawn, since columns may come later.</summary>
    public ImageGrid RowNames(params string[] names)
    {
        _rowNames = names.Select(n => n ?? "").ToArray();
        return this;
    }

    /// <summary>
    /// The grid as a 3×H×W float tensor in [0, 1], white separators of <paramref name="pad"/> pixels, each
    /// image <paramref name="scale"/> times larger (nearest). Above the images a white band holds the titles,
    /// wrapped to their column's width; it is left out when every title is empty, and so is the row-name band
    /// when no names were given.
    /// </summary>
    /// <exception cref="InvalidOperationException">No columns, or a number of row names other than N.</exception>
    public Tensor ToTensor(int pad = 2, int scale = 1)
    {
        if (_columns.Count == 0) throw new InvalidOperationException("the grid has no columns");
        var n = _columns[0].images.size(0);
        if (_rowNames is not null && _rowNames.Length != n)
            throw new InvalidOperationException($"{_rowNames.Length} row names for {n} rows: RowNames needs one name per sample");
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>();
        for (var r = 0; r < n; r++)
        {
            var cells = new List<Tensor>();
            foreach (var (_, images) in _columns)
            {
                var img = images.select(0, r).detach().cpu().to(ScalarType.Float32).clamp(0, 1);
                if (img.size(0) == 1) img = img.expand(3, img.size(1), img.size(2));
                if (scale > 1) img = nn.functional.interpolate(img.unsqueeze(0), scale_factor: scale).squeeze(0);
                cells.Add(nn.functional.pad(img, [pad, pad, pad, pad], value: 1));
            }
            rows.Add(cat(cells, 2));
        }
        var body = cat(rows, 1);
        return Labelled(body, (int)(body.size(2) / _columns.Count), (int)(body.size(1) / n), scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Image pixels per font pixel: the grid's scale, but at least 2 (glyphs 14 px tall), and smaller again where the
    /// larger size would break a title's word that the smaller one keeps whole — down to 1 (7 px) for narrow columns,
    /// where "predi / ction" reads worse than small type.
    /// </summary>
    private int TextScale(int scale, int cellWidth)
    {
        var longest = LongestWord;
        var fs = Math.Max(2, scale);
        while (fs > 1 && PerLine(cellWidth, fs, longest) < longest) fs--;
        return fs;
    }

    /// <summary>
    /// Title characters per line: a character's width of margin either side, so that neighbouring titles are
    /// further apart than words; a column gives up most of its margin when that keeps its longest word (or 6 characters) whole.
    /// </summary>
    private static int PerLine(int cellWidth, int fs, int longest) =>
        Math.Max(PixelFont.CharactersIn(cellWidth - 2 * PixelFont.Advance * fs, fs), Math.Min(Math.Max(6, longest), PixelFont.CharactersIn(cellWidth - 2 * fs, fs)));

    private int LongestWord => _columns.SelectMany(c => PixelFont.ToAscii(c.title).Split(' ', '\n')).Select(w => w.Length).DefaultIfEmpty(0).Max();

    // The text bands are drawn on the CPU into one float array each and become one tensor each: a
    // tensor op per glyph pixel would be thousands of native calls for a few hundred bytes.
    private Tensor Labelled(Tensor body, int cellWidth, int cellHeight, int scale)
    {
        var fs = TextScale(scale, cellWidth);
        var line = PixelFont.LineHeight * fs;
        var perLine = PerLine(cellWidth, fs, LongestWord);
        var titles = _columns.Select(c => PixelFont.Wrap(c.title, perLine, MaxTitleLines)).ToList();
        var titleLines = titles.Max(t => t.Count);
        var headerHeight = titleLines == 0 ? 0 : fs + titleLines * line;

        var names = (_rowNames ?? []).Select(name => PixelFont.Wrap(name, RowNameCharacters, Math.Max(1, cellHeight / line))).ToList();
        var widest = names.SelectMany(l => l).Select(l => l.Length).DefaultIfEmpty(0).Max();
        var nameWidth = widest == 0 ? 0 : PixelFont.Width(widest, fs) + 2 * fs;

        var bodyHeight = (int)body.size(1);
        var width = nameWidth + (int)body.size(2);
        if (nameWidth > 0)
        {
            var canvas = WhiteCanvas(bodyHeight, nameWidth);
            for (var r = 0; r < names.Count; r++)
            {
                var top = r * cellHeight + (cellHeight - (names[r].Count * line - fs)) / 2;
                for (var i = 0; i < names[r].Count; i++)
                    PixelFont.Draw(canvas, nameWidth, names[r][i], fs, top + i * line, fs, Ink);
            }
            body = cat([Gray(canvas, bodyHeight, nameWidth), body], 2);
        }
        if (headerHeight > 0)
        {
            var canvas = WhiteCanvas(headerHeight, width);
            for (var c = 0; c < titles.Count; c++)
            {
                var left = nameWidth + c * cellWidth;
                // Bottom-aligned, so every title sits just above its own images whatever its line count.
                var top = fs + (titleLines - titles[c].Count) * line;
                for (var i = 0; i < titles[c].Count; i++)
                {
                    var x = left + (cellWidth - PixelFont.Width(titles[c][i].Length, fs)) / 2;
                    PixelFont.Draw(canvas, width, titles[c][i], x, top + i * line, fs, Ink, left, left + cellWidth);
                }
            }
            body = cat([Gray(canvas, headerHeight, width), body], 1);
        }
        return body;
    }

    private static float[] WhiteCanvas(int height, int width)
    {
        var canvas = new float[height * width];
        Array.Fill(canvas, 1f);
        return canvas;
    }

    private static Tensor Gray(float[] canvas, int height, int width) => tensor(canvas, [1, height, width]).expand(3, height, width);

    public byte[] ToPng(int pad = 2, int scale = 1)
    {
        using var t = ToTensor(pad, scale);
        return Image.encode_png(t);
    }

    /// <summary>The grid as a <see cref="Picture"/>: <c>display(grid.ToPicture())</c> shows it in either kernel.</summary>
    public Picture ToPicture(int pad = 2, int scale = 1) => Picture.FromPng(ToPng(pad, scale));

    /// <summary>Base64 PNG, what display(value, "image/png") expects.</summary>
    public string ToBase64Png(int pad = 2, int scale = 1) => Convert.ToBase64String(ToPng(pad, scale));

    /// <summary>Writes the PNG (creating the folder) and returns the path.</summary>
    public string Save(string path, int pad = 2, int scale = 1)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, ToPng(pad, scale));
        return path;
    }
}
