using Lib.Imaging;
using Lib.Torch;

namespace Lib.Plots;

/// <summary>
/// A PNG to show in a notebook: <c>display(Picture.FromFile(path))</c> shows it as image/png in the workbook's kernel and in
/// .NET Interactive's alike (<see cref="Notebook.Formatters"/> registers it with both). A picture over <see cref="MaxBytes"/>
/// is shown halved until it fits, and says so, so that a saved notebook and its exports stay small; the file it came from
/// keeps every pixel.
/// </summary>
public sealed class Picture
{
    /// <summary>The most a picture may weigh in a notebook (2 MB).</summary>
    public const int MaxBytes = 2_000_000;

    /// <summary>The PNG shown (at most <see cref="MaxBytes"/>).</summary>
    public byte[] Png { get; }

    /// <summary>How many times the original was halved to fit (0: shown at full size).</summary>
    public int Halvings { get; }

    /// <summary>The file it was read from, if any.</summary>
    public string? Source { get; }

    private Picture(byte[] png, int halvings, string? source) => (Png, Halvings, Source) = (png, halvings, source);

    /// <summary>A PNG file (e.g. a sample grid that <see cref="ImageGrid.Save"/> wrote).</summary>
    public static Picture FromFile(string path) => FromPng(File.ReadAllBytes(path), path);

    /// <summary>PNG bytes, halved (antialiased) until they fit in <see cref="MaxBytes"/>.</summary>
    public static Picture FromPng(byte[] png, string? source = null)
    {
        if (png.Length <= MaxBytes) return new Picture(png, 0, source);
        using var scope = torch.NewDisposeScope();
        var image = Image.decode(png, ImageReadMode.Unchanged, source ?? "picture").to(ScalarType.Float32).div(255).unsqueeze(0);
        var halvings = 0;
        var smaller = png;
        while (smaller.Length > MaxBytes && image.size(-1) >= 16 && image.size(-2) >= 16)
        {
            image = Resize.bicubic(image, 0.5).clamp(0, 1);
            halvings++;
            smaller = Image.encode_png(image.squeeze(0).mul(255).round().to(ScalarType.Byte));
        }
        return new Picture(smaller, halvings, source);
    }

    public string ToBase64() => Convert.ToBase64String(Png);

    /// <summary>A caption for a reduced picture ("shown at 1/2 of its size; the full picture: …"), else empty.</summary>
    public string Note => Halvings == 0 ? "" : $"shown at 1/{1 << Halvings} of its size to keep the notebook small" + (Source is null ? "" : $"; the full picture: {Source}");
}
