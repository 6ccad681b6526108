using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Pipelines;

/// <summary>
/// A stage run tile by tile, so the network's memory is bounded by the tile, not the photo (what Real-ESRGAN's
/// --tile does). Neighbouring tiles overlap by <see cref="Overlap"/> input pixels and are blended with feathered
/// weights: across each overlap a tile's weight is 0 over the quarter nearest its own edge (where its convolutions
/// saw zero padding instead of the neighbour), ramps linearly over the middle half, and is 1 beyond, so there is
/// no seam. For a fully convolutional network whose receptive field reaches at most Overlap / 4 pixels from a
/// pixel, the result equals the whole-image output (up to float rounding). Tiles are assembled on the CPU;
/// the wrapped stage moves each tile to its own device.
/// </summary>
public sealed class TiledStage : Stage
{
    public Stage Inner { get; }

    /// <summary>Side of the input tiles (pixels).</summary>
    public int Tile { get; }

    /// <summary>Input pixels shared by neighbouring tiles.</summary>
    public int Overlap { get; }

    public TiledStage(Stage inner, int tile, int overlap)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (tile < 1) throw new ArgumentOutOfRangeException(nameof(tile), tile, "the tile side must be at least 1 pixel (e.g. 256)");
        if (overlap < 0 || overlap >= tile)
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, $"the overlap must be 0 or more and smaller than the tile ({tile}); e.g. 16");
        if (inner.SizeMultiple > 1 && tile % inner.SizeMultiple != 0)
            throw new ArgumentException($"{inner.Name} needs sides that are multiples of {inner.SizeMultiple}; pick a tile size that is one (e.g. {Math.Max(1, tile / inner.SizeMultiple) * inner.SizeMultiple})", nameof(tile));
        (Inner, Tile, Overlap) = (inner, tile, overlap);
    }

    /// <summary>
    /// <paramref name="inner"/> in tiles of at least <paramref name="tile"/> pixels, rounded up to a side the network
    /// takes (a multiple of its <see cref="Stage.SizeMultiple"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The overlap is not smaller than the rounded tile (names a pair that works).</exception>
    public static TiledStage Rounded(Stage inner, int tile, int overlap)
    {
        var m = inner.SizeMultiple;
        var side = (tile + m - 1) / m * m;
        if (overlap >= side)
            throw new ArgumentException($"the tile overlap ({overlap}) must be smaller than the tile ({side} for {inner.Name}); e.g. tile {side} with overlap {Math.Max(0, side / 16)}", nameof(overlap));
        return new TiledStage(inner, side, overlap);
    }

    public override string Name => Inner.Name;
    public override ImageKind Input => Inner.Input;
    public override ImageKind Output => Inner.Output;
    public override int Scale => Inner.Scale;

    protected override Tensor Forward(Tensor images)
    {
        var (h, w) = (images.size(2), images.size(3));
        if (h <= Tile && w <= Tile) return Inner.call(images);
        var s = Scale;
        var rows = Spans(h);
        var cols = Spans(w);
        var channels = Output == ImageKind.Gray ? 1 : 3;
        var sum = zeros([images.size(0), channels, h * s, w * s]);
        // The tiles form a grid, so the weights are separable and their sum is the outer product of the 1-D sums.
        var rowTotal = zeros(h * s);
        var colTotal = zeros(w * s);
        foreach (var (start, length) in rows) rowTotal.narrow(0, start * s, length * s).add_(Ramp(start, length, h));
        foreach (var (start, length) in cols) colTotal.narrow(0, start * s, length * s).add_(Ramp(start, length, w));
        foreach (var (y0, th) in rows)
            foreach (var (x0, tw) in cols)
            {
                using var scope = NewDisposeScope();
                var tile = Inner.call(images.narrow(2, y0, th).narrow(3, x0, tw));
                var weight = Ramp(y0, th, h).view(th * s, 1) * Ramp(x0, tw, w).view(1, tw * s);
                sum.narrow(2, y0 * s, th * s).narrow(3, x0 * s, tw * s).add_(tile * weight);
            }
        return sum.div_(rowTotal.view(h * s, 1) * colTotal.view(1, w * s));
    }

    /// <summary>Tile starts and lengths along a side of <paramref name="n"/> pixels: every Tile − Overlap pixels, the last one flush with the end.</summary>
    internal List<(long start, long length)> Spans(long n)
    {
        if (n <= Tile) return [(0, n)];
        var stride = Tile - Overlap;
        var spans = new List<(long, long)>();
        for (long start = 0; ; start += stride)
        {
            if (start + Tile >= n)
            {
                spans.Add((n - Tile, Tile));
                return spans;
            }
            spans.Add((start, Tile));
        }
    }

    /// <summary>The feathered weight of a tile along one side, in output pixels: ramps only at edges inside the photo.</summary>
    private Tensor Ramp(long start, long length, long n)
    {
        var s = Scale;
        var o = (double)Overlap * s;
        var weights = new float[length * s];
        for (var i = 0; i < weights.Length; i++)
        {
            // Distance of the pixel's centre from the tile's edges, where those edges lie inside the photo.
            var fromStart = start > 0 ? i + 0.5 : double.PositiveInfinity;
            var fromEnd = start + length < n ? weights.Length - i - 0.5 : double.PositiveInfinity;
            weights[i] = (float)(Feather(fromStart, o) * Feather(fromEnd, o));
        }
        return tensor(weights);
    }

    private static double Feather(double distance, double overlap) =>
        overlap <= 0 ? 1 : Math.Clamp((distance - overlap / 4) / (overlap / 2), 0, 1);

    public override string ToString() => $"{base.ToString()} in {Tile}-pixel tiles overlapping by {Overlap}";

    /// <summary>Disposes the wrapped stage.</summary>
    public override void Dispose()
    {
        Inner.Dispose();
        base.Dispose();
    }
}
