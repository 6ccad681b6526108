using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Imaging;

/// <summary>
/// sRGB (D65, 2° observer) ⇄ CIE Lab on N×3×H×W or 3×H×W tensors with RGB in [0, 1], following
/// scikit-image's rgb2lab / lab2rgb branch for branch (tests/Lib.Tests/LabTests.cs compares with it:
/// under 1e-4 Lab units in float32, 1e-12 in float64), and the colorizer's network scaling.
/// </summary>
/// <remarks>
/// float64 inputs are computed and returned in float64; every other floating type (float16, bfloat16)
/// is computed and returned in float32, because half precision cannot hold L to better than about 0.06.
/// Integer tensors are refused: a byte image is 0–255 and must be divided by 255 first.
/// The 3×3 color matrices are applied with elementwise multiply-adds rather than a 1×1 convolution or
/// a matmul, so the precision never depends on which cuDNN/BLAS kernel runs or on TF32 mode (whose
/// 1e-3 relative rounding would be about 0.05 in a and b).
/// Every branch is a <c>where</c> whose unused side is kept finite (clamped), so gradients through
/// <see cref="from_network"/> stay free of NaN.
/// </remarks>
public static class Lab
{
    /// <summary>The network's ab are ab / AbScale: sRGB colors have |a|, |b| ≤ about 108, so this maps them into [−1, 1].</summary>
    public const double AbScale = 110;

    /// <summary>The network's L is L / LScale − 1, mapping L ∈ [0, 100] onto [−1, 1].</summary>
    public const double LScale = 50;

    /// <summary>sRGB's companding knee on the encoded value (IEC 61966-2-1), as skimage uses it.</summary>
    public const double SrgbKnee = 0.04045;

    /// <summary>The same knee on the linear side, used by lab_to_rgb.</summary>
    public const double LinearKnee = 0.0031308;

    /// <summary>Lab's f(t) switches from the cube root to 7.787·t + 16/116 below this (skimage's rounded (6/29)³).</summary>
    public const double Epsilon = 0.008856;

    /// <summary>The slope of f(t)'s linear part (skimage's rounded (29/6)²/3).</summary>
    public const double Kappa = 7.787;

    /// <summary>The inverse of f's knee, 6/29 rounded as skimage has it.</summary>
    public const double InverseKnee = 0.2068966;

    /// <summary>The D65 reference white (X, Y, Z) for the 2° observer, skimage's values.</summary>
    public static ReadOnlySpan<double> D65White => [0.95047, 1.0, 1.08883];

    // Linear sRGB → XYZ, skimage's xyz_from_rgb; its inverse is computed in double, as skimage
    // computes rgb_from_xyz = inv(xyz_from_rgb), rather than taken from a rounded table.
    private static readonly double[,] XyzFromRgb =
    {
        { 0.412453, 0.357580, 0.180423 },
        { 0.212671, 0.715160, 0.072169 },
        { 0.019334, 0.119193, 0.950227 },
    };

    private static readonly double[,] RgbFromXyz = Invert(XyzFromRgb);

    /// <summary>RGB in [0, 1] (N×3×H×W or 3×H×W) → Lab of the same shape: L in [0, 100], a and b in CIE units.</summary>
    /// <exception cref="ArgumentException">The tensor is not N×3×H×W or 3×H×W, or not floating point.</exception>
    public static Tensor rgb_to_lab(Tensor rgb)
    {
        var batched = CheckImage(rgb, nameof(rgb_to_lab), "RGB");
        using var scope = NewDisposeScope();
        var x = Working(rgb, batched);
        var linear = where(x.gt(SrgbKnee), ((x + 0.055) / 1.055).clamp(min: 0).pow(2.4), x / 12.92);
        var (r, g, b) = Channels(linear);
        var fx = F(Row(XyzFromRgb, 0, r, g, b) / D65White[0]);
        var fy = F(Row(XyzFromRgb, 1, r, g, b) / D65White[1]);
        var fz = F(Row(XyzFromRgb, 2, r, g, b) / D65White[2]);
        var lab = cat([fy * 116 - 16, (fx - fy) * 500, (fy - fz) * 200], 1);
        return (batched ? lab : lab.squeeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Lab (N×3×H×W or 3×H×W) → RGB in [0, 1]. Out-of-gamut colors are handled as skimage does:
    /// a negative f(Z) is set to 0 first (skimage warns "Z &lt; 0"), then the RGB result is clipped to [0, 1].
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not N×3×H×W or 3×H×W, or not floating point.</exception>
    public static Tensor lab_to_rgb(Tensor lab)
    {
        var batched = CheckImage(lab, nameof(lab_to_rgb), "Lab");
        using var scope = NewDisposeScope();
        var (l, a, b) = Channels(Working(lab, batched));
        var fy = (l + 16) / 116;
        var fx = a / 500 + fy;
        var fz = (fy - b / 200).clamp(min: 0);
        var x = FInverse(fx) * D65White[0];
        var y = FInverse(fy) * D65White[1];
        var z = FInverse(fz) * D65White[2];
        var linear = cat([Row(RgbFromXyz, 0, x, y, z), Row(RgbFromXyz, 1, x, y, z), Row(RgbFromXyz, 2, x, y, z)], 1);
        var encoded = where(linear.gt(LinearKnee), linear.clamp(min: LinearKnee).pow(1 / 2.4) * 1.055 - 0.055, linear * 12.92);
        var rgb = encoded.clamp(0, 1);
        return (batched ? rgb : rgb.squeeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// RGB in [0, 1] → the colorizer's input and target: L / 50 − 1 in [−1, 1] (1 channel) and
    /// ab / 110 in about [−1, 1] (2 channels); N×1×H×W and N×2×H×W, or 1×H×W and 2×H×W for a 3×H×W image.
    /// </summary>
    public static (Tensor L, Tensor ab) to_network(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var lab = rgb_to_lab(rgb);
        var dim = lab.dim() - 3;
        var l = lab.narrow(dim, 0, 1) / LScale - 1;
        var ab = lab.narrow(dim, 1, 2) / AbScale;
        return (l.MoveToOuterDisposeScope(), ab.MoveToOuterDisposeScope());
    }

    /// <summary>The inverse of <see cref="to_network"/>: (L/50 − 1, ab/110) → RGB in [0, 1], clipped like <see cref="lab_to_rgb"/>.</summary>
    /// <exception cref="ArgumentException">L is not N×1×H×W (or 1×H×W) with ab N×2×H×W (or 2×H×W) of the same N, H, W.</exception>
    public static Tensor from_network(Tensor L, Tensor ab)
    {
        var (ls, abs) = (L.shape, ab.shape);
        var dim = ls.Length - 3;
        if ((ls.Length != 4 && ls.Length != 3) || abs.Length != ls.Length || ls[dim] != 1 || abs[dim] != 2
            || (dim == 1 && ls[0] != abs[0]) || ls[^2] != abs[^2] || ls[^1] != abs[^1])
            throw new ArgumentException(
                $"from_network needs L N×1×H×W and ab N×2×H×W (or 1×H×W and 2×H×W) with the same N, H, W; got L {Shape(L)} and ab {Shape(ab)}");
        using var scope = NewDisposeScope();
        var lab = cat([(L + 1) * LScale, ab * AbScale], dim);
        return lab_to_rgb(lab).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The lightness of RGB in [0, 1] as a gray image: L / 100 in [0, 1], N×1×H×W (or 1×H×W). This is how the
    /// pipelines pass a gray photo between stages; the colorizer's input is <c>2·lightness − 1</c> (= L/50 − 1).
    /// </summary>
    public static Tensor lightness(Tensor rgb)
    {
        using var lab = rgb_to_lab(rgb);
        using var l = lab.narrow(lab.dim() - 3, 0, 1);
        return l / 100;
    }

    /// <summary>A gray image (L / 100 in [0, 1], N×1×H×W or 1×H×W) as RGB with no color (a = b = 0): what a gray photo looks like.</summary>
    public static Tensor gray_to_rgb(Tensor lightness)
    {
        var s = lightness.shape;
        var dim = s.Length - 3;
        if ((s.Length != 4 && s.Length != 3) || s[dim] != 1)
            throw new ArgumentException($"gray_to_rgb needs a gray image N×1×H×W (or 1×H×W) holding L / 100; got {Shape(lightness)}");
        using var scope = NewDisposeScope();
        var ab = zeros([.. s[..dim], 2, s[^2], s[^1]], lightness.dtype, lightness.device);
        return from_network(lightness * 2 - 1, ab).MoveToOuterDisposeScope();
    }

    private static bool CheckImage(Tensor t, string function, string what)
    {
        var s = t.shape;
        var batched = s.Length == 4 && s[1] == 3;
        if (!batched && !(s.Length == 3 && s[0] == 3))
            throw new ArgumentException($"{function} needs {what} as N×3×H×W or 3×H×W; got {Shape(t)}");
        if (t.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
            throw new ArgumentException($"{function} needs a floating-point {what} tensor (RGB in [0, 1]); got {t.dtype} {Shape(t)}");
        return batched;
    }

    private static Tensor Working(Tensor t, bool batched)
    {
        var x = batched ? t.alias() : t.unsqueeze(0);
        return t.dtype is ScalarType.Float32 or ScalarType.Float64 ? x : x.to(ScalarType.Float32);
    }

    private static (Tensor, Tensor, Tensor) Channels(Tensor x) => (x.narrow(1, 0, 1), x.narrow(1, 1, 1), x.narrow(1, 2, 1));

    private static Tensor Row(double[,] m, int i, Tensor c0, Tensor c1, Tensor c2) => c0 * m[i, 0] + c1 * m[i, 1] + c2 * m[i, 2];

    private static Tensor F(Tensor t) => where(t.gt(Epsilon), t.clamp(min: Epsilon).pow(1.0 / 3), t * Kappa + 16.0 / 116);

    private static Tensor FInverse(Tensor f) => where(f.gt(InverseKnee), f.pow(3), (f - 16.0 / 116) / Kappa);

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    private static double[,] Invert(double[,] m)
    {
        var det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
                - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                // cofactor of m[j, i] (the adjugate is the transposed cofactor matrix)
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                r[i, j] = (m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0]) / det;
            }
        return r;
    }
}
