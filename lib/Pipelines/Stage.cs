using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Pipelines;

/// <summary>
/// One step from images to images — colorize, upscale, both — that knows what it takes and gives
/// (<see cref="ImageKind"/>) and how much bigger its output is. Stages compose (<see cref="Then"/>), load
/// from a training checkpoint alone (Training's <c>TrainedStage.Load</c>: no discriminator, optimizer or VGG is
/// built), and serve as a method to evaluate (<c>Func&lt;Tensor, Tensor&gt;</c>). A stage runs in eval mode
/// without autograd on its device and returns its output on the input's device.
/// </summary>
public abstract class Stage : IDisposable
{
    /// <summary>How the stage is named in tables and grids.</summary>
    public abstract string Name { get; }
    public abstract ImageKind Input { get; }
    public abstract ImageKind Output { get; }

    /// <summary>Output side / input side (1 for a colorizer, 4 for a ×4 upscaler).</summary>
    public abstract int Scale { get; }

    /// <summary>Input sides must be multiples of this for the network; other sizes are padded (replicating the border) and cropped back.</summary>
    public virtual int SizeMultiple => 1;

    /// <summary>Where the network runs (the CPU for stages without one).</summary>
    public virtual Device Device => CPU;

    /// <summary>The stage on a batch of <see cref="Input"/> images (N×C×H×W in [0, 1], any size); returns <see cref="Output"/> images, clamped to [0, 1].</summary>
    /// <exception cref="ArgumentException">The batch is not of the stage's input kind.</exception>
    public Tensor call(Tensor images) => Run(images, Forward, Scale, clamp: true);

    /// <summary>
    /// For a colorizer (gray → color at the same size): the a and b channels it gives, in CIE units, N×2×H×W on the
    /// input's device — what a full-resolution colorizer recombines with a photo's own L. A generator stage returns its
    /// network's prediction directly; other stages take it from their RGB output.
    /// </summary>
    public Tensor PredictAb(Tensor gray)
    {
        if (Input != ImageKind.Gray || Output != ImageKind.Color || Scale != 1)
            throw new InvalidOperationException($"{Name} is not a colorizer (gray → color at the same size): it is {this}");
        return Run(gray, ForwardAb, 1, clamp: false);
    }

    /// <summary>Checks the batch, pads it to <see cref="SizeMultiple"/>, runs <paramref name="forward"/> on the device without autograd, crops back.</summary>
    private Tensor Run(Tensor images, Func<Tensor, Tensor> forward, int scale, bool clamp)
    {
        var channels = Input == ImageKind.Gray ? 1 : 3;
        if (images.dim() != 4 || images.size(1) != channels)
            throw new ArgumentException($"{Name} takes {Input.ToString().ToLowerInvariant()} images N×{channels}×H×W in [0, 1]; got [{string.Join(", ", images.shape)}]" +
                                        (images.dim() == 3 ? " (add the batch dimension: unsqueeze(0))" : ""));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (h, w) = (images.size(2), images.size(3));
        var m = SizeMultiple;
        var (ph, pw) = ((m - h % m) % m, (m - w % m) % m);
        var x = images.to(Device);
        if (ph > 0 || pw > 0) x = F.pad(x, [0, pw, 0, ph], nn.PaddingModes.Replicate);
        var y = forward(x);
        if (ph > 0 || pw > 0) y = y.narrow(2, 0, h * scale).narrow(3, 0, w * scale);
        if (clamp) y = y.clamp(0, 1);
        return y.to(images.device).MoveToOuterDisposeScope();
    }

    /// <summary>The computation on the stage's device, for sides that are multiples of <see cref="SizeMultiple"/>.</summary>
    protected abstract Tensor Forward(Tensor images);

    /// <summary>A colorizer's a, b on the stage's device (sides multiples of <see cref="SizeMultiple"/>); by default from its RGB output.</summary>
    protected virtual Tensor ForwardAb(Tensor gray) => Lab.rgb_to_lab(Forward(gray).clamp(0, 1)).narrow(1, 1, 2);

    /// <summary>This stage, then <paramref name="next"/> on its output (e.g. <c>colorizer.Then(upscaler)</c>).</summary>
    /// <exception cref="ArgumentException">The next stage does not take what this one gives.</exception>
    public Stage Then(Stage next) => new Chain(this, next);

    /// <summary>This stage run in <paramref name="tile"/>-pixel tiles that overlap by <paramref name="overlap"/> and are blended (<see cref="TiledStage"/>): memory bounded by the tile.</summary>
    public Stage Tiled(int tile = 256, int overlap = 16) => new TiledStage(this, tile, overlap);

    /// <summary>This colorizer on photos of any size: colorized at <paramref name="renderSize"/>, its ab recombined with the full-resolution L (<see cref="FullResolutionColorizer"/>).</summary>
    public Stage AtFullResolution(int renderSize) => new FullResolutionColorizer(this, renderSize);

    /// <summary>The stage as a method to evaluate.</summary>
    public static implicit operator Func<Tensor, Tensor>(Stage stage) => stage.call;

    /// <summary>Bicubic resizing (MATLAB's kernel, antialiased) by <paramref name="scale"/>: the upscaling baseline.</summary>
    public static Stage Bicubic(int scale, ImageKind kind) => new BicubicStage(scale, kind);

    /// <summary>A gray image shown as a color photo with no color (a = b = 0): the colorization baseline.</summary>
    public static Stage Uncolored { get; } = new UncoloredStage();

    public override string ToString() => $"{Name} ({Input} → {Output}{(Scale != 1 ? $", ×{Scale}" : "")})";

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
