using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Imaging;

/// <summary>
/// sRGB (D65, 2° observer) ⇄ CIE Lab on batched tensors (N×3×H×W or 3×H×W, RGB in [0, 1]),
/// with the constants and branches of scikit-image's rgb2lab / lab2rgb (tests compare with it),
/// and the colorizer's network scaling: L/50 − 1 and ab/110, both in about [−1, 1].
/// </summary>
public static class Lab
{
    /// <summary>ab are divided by this for the network (sRGB colors stay within about ±110).</summary>
    public const double AbScale = 110;

    // sRGB primaries → XYZ (skimage's xyz_from_rgb) and the D65 reference white.
    private static readonly double[,] XyzFromRgb =
    {
        { 0.412453, 0.357580, 0.180423 },
        { 0.212671, 0.715160, 0.072169 },
        { 0.019334, 0.119193, 0.950227 },
    };

    private static readonly double[] White = [0.95047, 1.0, 1.08883];
    private static readonly double[,] RgbFromXyz = Invert(XyzFromRgb);

    public static Tensor rgb_to_lab(Tensor rgb)
    {
        var (x, batched) = Batched(rgb, "rgb_to_lab");
        using var scope = NewDisposeScope();
        var linear = x.gt(0.04045).to(x.dtype);
        var lin = (((x + 0.055) / 1.055).clamp(min: 0).pow(2.4) * linear) + (x / 12.92) * (1 - linear);
        var xyz = Mix(lin, XyzFromRgb);
        var scaled = xyz / Column(White, xyz);
        var big = scaled.gt(0.008856).to(x.dtype);
        var f = scaled.clamp(min: 0.008856).pow(1.0 / 3) * big + (scaled * 7.787 + 16.0 / 116) * (1 - big);
        var (fx, fy, fz) = (f.narrow(1, 0, 1), f.narrow(1, 1, 1), f.narrow(1, 2, 1));
        var lab = cat([fy * 116 - 16, (fx - fy) * 500, (fy - fz) * 200], 1);
        return (batched ? lab : lab.squeeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>Lab → sRGB in [0, 1]; out-of-gamut colors are clipped (negative Z to 0 first), as skimage does.</summary>
    public static Tensor lab_to_rgb(Tensor lab)
    {
        var (x, batched) = Batched(lab, "lab_to_rgb");
        using var scope = NewDisposeScope();
        var fy = (x.narrow(1, 0, 1) + 16) / 116;
        var fx = x.narrow(1, 1, 1) / 500 + fy;
        var fz = (fy - x.narrow(1, 2, 1) / 200).clamp(min: 0);
        var f = cat([fx, fy, fz], 1);
        var big = f.gt(0.2068966).to(x.dtype);
        var xyz = (f.pow(3) * big + ((f - 16.0 / 116) / 7.787) * (1 - big)) * Column(White, f);
        var lin = Mix(xyz, RgbFromXyz);
        var high = lin.gt(0.0031308).to(x.dtype);
        var rgb = (lin.clamp(min: 0.0031308).pow(1 / 2.4) * 1.055 - 0.055) * high + lin * 12.92 * (1 - high);
        rgb = rgb.clamp(0, 1);
        return (batched ? rgb : rgb.squeeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>RGB in [0, 1] → (L/50 − 1, ab/110): the colorizer's input and target.</summary>
    public static (Tensor L, Tensor ab) to_network(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var lab = rgb_to_lab(rgb);
        var dim = lab.dim() - 3;
        var l = lab.narrow(dim, 0, 1) / 50 - 1;
        var ab = lab.narrow(dim, 1, 2) / AbScale;
        return (l.MoveToOuterDisposeScope(), ab.MoveToOuterDisposeScope());
    }

    /// <summary>The network's (L, ab) back to RGB in [0, 1].</summary>
    public static Tensor from_network(Tensor L, Tensor ab)
    {
        using var scope = NewDisposeScope();
        var dim = L.dim() - 3;
        var lab = cat([(L + 1) * 50, ab * AbScale], dim);
        return lab_to_rgb(lab).MoveToOuterDisposeScope();
    }

    private static (Tensor x, bool batched) Batched(Tensor t, string what)
    {
        var s = t.shape;
        if (s.Length == 4 && s[1] == 3) return (t, true);
        if (s.Length == 3 && s[0] == 3) return (t.unsqueeze(0), false);
        throw new ArgumentException($"{what} expects N×3×H×W or 3×H×W, got [{string.Join(", ", s)}]");
    }

    /// <summary>out[:, i] = Σ_j m[i, j]·x[:, j] — a 1×1 convolution with the 3×3 matrix.</summary>
    private static Tensor Mix(Tensor x, double[,] m)
    {
        var w = new double[9];
        for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) w[i * 3 + j] = m[i, j];
        using var weight = tensor(w, [3, 3, 1, 1]).to(x.dtype, x.device);
        return nn.functional.conv2d(x, weight);
    }

    private static Tensor Column(double[] v, Tensor like) =>
        tensor(v, [1, 3, 1, 1]).to(like.dtype, like.device);

    private static double[,] Invert(double[,] m)
    {
        var det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                r[i, j] = (m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0]) / det;
            }
        return r;
    }
}
