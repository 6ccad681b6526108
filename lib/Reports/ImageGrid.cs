using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Reports;

/// <summary>
/// Lays out columns of images side by side (e.g. gray | prediction | truth), one row per sample, as
/// one PNG: written under results/ and shown inline with <c>display(grid.Base64, "image/png")</c>.
/// </summary>
public sealed class ImageGrid
{
    private readonly List<(string title, Tensor images)> _columns = [];

    /// <summary>Adds a column: N×3×H×W (or N×1×H×W) floats in [0, 1]; every column needs the same N, H and W.</summary>
    public ImageGrid Column(string title, Tensor images)
    {
        if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3))
            throw new ArgumentException($"column '{title}': expected N×3×H×W or N×1×H×W images, got [{string.Join(", ", images.shape)}]");
        if (_columns.Count > 0 && !_columns[0].images.shape.Where((_, i) => i != 1).SequenceEqual(images.shape.Where((_, i) => i != 1)))
            throw new ArgumentException($"column '{title}' has shape [{string.Join(", ", images.shape)}] but '{_columns[0].title}' has [{string.Join(", ", _columns[0].images.shape)}]");
        _columns.Add((title, images));
        return this;
    }

    public IReadOnlyList<string> Titles => _columns.Select(c => c.title).ToList();

    /// <summary>The grid as a 3×H×W float tensor in [0, 1], white separators of <paramref name="pad"/> pixels.</summary>
    public Tensor ToTensor(int pad = 2, int scale = 1)
    {
        if (_columns.Count == 0) throw new InvalidOperationException("the grid has no columns");
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>();
        var n = _columns[0].images.size(0);
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
        return cat(rows, 1).MoveToOuterDisposeScope();
    }

    public byte[] ToPng(int pad = 2, int scale = 1)
    {
        using var t = ToTensor(pad, scale);
        return Image.encode_png(t);
    }

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
