using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Imaging;

/// <summary>
/// The quantized ab output space of Zhang, Isola and Efros, "Colorful Image Colorization" (ECCV 2016):
/// ab bins on a square grid (size 10), kept where sRGB colors fall. Computed here, not downloaded: every
/// 8-bit sRGB color goes through <see cref="Lab.rgb_to_lab"/> (float64) and the grid cell (centre at a
/// multiple of the grid, the nearest one) it lands in is kept.
/// </summary>
/// <remarks>
/// This gives 261 bins at grid 10, not the paper's Q = 313. The authors' list (pts_in_hull.npy, whose
/// construction is not published) contains all 261 and about one more bin around the border, including ab
/// no sRGB color has (a = 100 at b = 0, where no sRGB color's a exceeds 86): a hull or a dilation of their
/// data's gamut rather than the gamut itself. Counting only some lightnesses gives fewer (L in [45, 55]: about
/// 196), and no construction from the sRGB gamut alone gives 313 (centres within 10 of a color in both a and b:
/// about 306, all in the authors' list; within 13: about 331). The extra bins could never be a target, so the
/// model here predicts the 261 a photo can hold.
/// Only the cube's surface is enumerated (6 × 256² colors): Lab is continuous and one-to-one on the cube, so
/// the ab projection of the solid is the projection of its surface; tools/make_colorizer_variant_fixtures.py
/// checks the bins against all 256³ colors with scikit-image.
/// ab tensors given to and returned by the functions here are in the network's scale (ab / <see cref="Lab.AbScale"/>,
/// as <see cref="Lab.to_network"/> makes them); distances and the centres are in Lab units.
/// </remarks>
public sealed class AbGamut
{
    private static readonly Lazy<AbGamut> _srgb = new(() => from_srgb(10));
    private readonly float[] _centres;

    /// <summary>The grid-10 sRGB gamut (computed once per process, well under a second).</summary>
    public static AbGamut Srgb => _srgb.Value;

    /// <summary>The bin size in Lab units.</summary>
    public double grid { get; }

    /// <summary>Q, the number of bins (classes).</summary>
    public int count => _centres.Length / 2;

    /// <summary>Bin centres (a, b) in Lab units, sorted by a then b.</summary>
    public IReadOnlyList<(double a, double b)> centres { get; }

    public AbGamut(IReadOnlyList<(double a, double b)> centres, double grid)
    {
        if (centres.Count == 0) throw new ArgumentException("an ab gamut needs at least one bin", nameof(centres));
        this.grid = grid;
        this.centres = centres;
        _centres = centres.SelectMany(c => new[] { (float)c.a, (float)c.b }).ToArray();
    }

    /// <summary>The bins of every 8-bit sRGB color at the given grid size.</summary>
    public static AbGamut from_srgb(double grid = 10)
    {
        if (!(grid > 0)) throw new ArgumentOutOfRangeException(nameof(grid), grid, "the ab grid size must be positive (the paper's is 10)");
        // |a|, |b| < 128 for any sRGB color: bins fit in [−k, k]², counted with one bincount over all six faces.
        var k = (long)Math.Ceiling(128 / grid) + 1;
        var side = 2 * k + 1;
        long[] hits;
        using (NewDisposeScope())
        {
            var levels = arange(0, 256, dtype: ScalarType.Float64) / 255.0;
            var u = levels.view(256, 1).expand(256, 256);
            var v = levels.view(1, 256).expand(256, 256);
            var faces = new List<Tensor>();
            foreach (var value in new[] { 0.0, 1.0 })
            {
                var constant = full_like(u, value);
                faces.Add(stack([constant, u, v], 0));
                faces.Add(stack([u, constant, v], 0));
                faces.Add(stack([u, v, constant], 0));
            }
            // Keys stay float64 (exact for these small integers) until the end: Tensor + Tensor passes a
            // floating alpha, which libtorch refuses for integer tensors.
            var bins = (Lab.rgb_to_lab(stack(faces, 0)).narrow(1, 1, 2) / grid).round() + k;
            var keys = bins.narrow(1, 0, 1) * side + bins.narrow(1, 1, 1);
            hits = keys.flatten().to(ScalarType.Int64).bincount(minlength: side * side).ToArray<long>();
        }
        // Key order is a-major then b: the centres come out sorted by a, then b.
        var centres = new List<(double a, double b)>();
        for (var key = 0L; key < hits.Length; key++)
            if (hits[key] > 0) centres.Add(((key / side - k) * grid, (key % side - k) * grid));
        return new AbGamut(centres, grid);
    }

    /// <summary>The centres as a Q×2 float32 tensor (Lab units) on the given device.</summary>
    public Tensor centres_tensor(Device? device = null) => tensor(_centres, [count, 2], device: device);

    /// <summary>
    /// Squared distances in Lab units from every pixel's ab (N×2×h×w, network scale) to every bin centre:
    /// N×Q×h×w, float32, on the input's device.
    /// </summary>
    public Tensor squared_distances(Tensor ab)
    {
        CheckAb(ab, nameof(squared_distances));
        using var scope = NewDisposeScope();
        var c = centres_tensor(ab.device);
        var lab = ab.to(ScalarType.Float32) * Lab.AbScale;
        var da = lab.narrow(1, 0, 1) - c.narrow(1, 0, 1).view(1, count, 1, 1);
        var db = lab.narrow(1, 1, 1) - c.narrow(1, 1, 1).view(1, count, 1, 1);
        return (da * da + db * db).MoveToOuterDisposeScope();
    }

    /// <summary>The index of every pixel's nearest bin: ab N×2×h×w (network scale) → N×h×w int64.</summary>
    public Tensor nearest(Tensor ab)
    {
        using var d = squared_distances(ab);
        return d.argmin(1);
    }

    /// <summary>
    /// The same as <see cref="nearest"/> at a cost per pixel independent of Q: the square lattice's nearest centre to a point is
    /// its rounded cell, so a pixel whose cell is a bin (every pixel of a real photo's truth: the bins are the cells sRGB
    /// colors fall in) gets that bin exactly; a pixel outside the bins' cells gets the bin nearest its cell's centre.
    /// </summary>
    public Tensor nearest_by_cell(Tensor ab)
    {
        CheckAb(ab, nameof(nearest_by_cell));
        using var scope = NewDisposeScope();
        var (k, side, table) = CellTable();
        // Keys stay float32 (exact for these small integers) until the end, as in from_srgb.
        var cell = (ab.to(ScalarType.Float32) * (float)(Lab.AbScale / grid)).round().clamp(-k, k).add(k);
        var keys = (cell.narrow(1, 0, 1) * side + cell.narrow(1, 1, 1)).to(ScalarType.Int64);
        var lookup = tensor(table, [table.Length], device: ab.device);
        return lookup.index_select(0, keys.flatten()).view(ab.size(0), ab.size(2), ab.size(3)).MoveToOuterDisposeScope();
    }

    private (long k, long side, long[] table)? _cells;

    /// <summary>For every lattice cell in [−k, k]² (a-major), the bin nearest its centre, computed once.</summary>
    private (long k, long side, long[] table) CellTable()
    {
        if (_cells is { } done) return done;
        var k = (long)Math.Ceiling(centres.Max(c => Math.Max(Math.Abs(c.a), Math.Abs(c.b))) / grid) + 1;
        var side = 2 * k + 1;
        var table = new long[side * side];
        for (var key = 0L; key < table.Length; key++)
        {
            double a = (key / side - k) * grid, b = (key % side - k) * grid, best = double.MaxValue;
            for (var q = 0; q < count; q++)
            {
                var d = (centres[q].a - a) * (centres[q].a - a) + (centres[q].b - b) * (centres[q].b - b);
                if (d < best) (best, table[key]) = (d, q);
            }
        }
        return (_cells = (k, side, table)).Value;
    }

    internal void CheckAb(Tensor ab, string function)
    {
        var s = ab.shape;
        if (s.Length != 4 || s[1] != 2)
            throw new ArgumentException($"{function} needs ab as N×2×H×W (network scale, ab / {Lab.AbScale}); got [{string.Join(", ", s)}]");
    }

    public override string ToString() => $"AbGamut({count} bins, grid {grid})";
}
