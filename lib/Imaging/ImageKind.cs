namespace Lib.Imaging;

/// <summary>
/// What flows between stages. Both are N×C×H×W float tensors in [0, 1]: a gray photo is its lightness
/// (CIE L / 100, one channel: what the colorizer sees, and what <see cref="Lab.lightness"/> gives),
/// a color photo is sRGB (three channels).
/// </summary>
public enum ImageKind
{
    /// <summary>N×1×H×W, L / 100.</summary>
    Gray,

    /// <summary>N×3×H×W, sRGB.</summary>
    Color,
}
