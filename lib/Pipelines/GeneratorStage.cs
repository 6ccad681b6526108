using Lib.Imaging;
using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Pipelines;

/// <summary>
/// A generator network as a stage: its <see cref="GeneratorIO"/> says what it takes and gives and how images meet the
/// network. A trainer wraps its own generator in one (without owning it) and infers through it; a trained model loaded
/// from a checkpoint is one that owns its generator (Training's <c>TrainedStage</c>).
/// </summary>
public class GeneratorStage : Stage
{
    private readonly bool _ownsGenerator;

    public nn.Module<Tensor, Tensor> Generator { get; }
    public GeneratorIO IO { get; }
    public override string Name { get; }
    public override ImageKind Input => IO.Input;
    public override ImageKind Output => IO.Output;
    public override int Scale => IO.Scale;
    public override int SizeMultiple => IO.SizeMultiple;
    public override Device Device { get; }

    /// <summary>
    /// <paramref name="generator"/> as a stage named <paramref name="name"/> on <paramref name="device"/>; with
    /// <paramref name="ownsGenerator"/> the stage disposes the network (not a trainer's, which its trainer disposes).
    /// </summary>
    public GeneratorStage(nn.Module<Tensor, Tensor> generator, GeneratorIO io, Device device, string name, bool ownsGenerator = false)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(io);
        (Generator, IO, Device, Name, _ownsGenerator) = (generator, io, device, name, ownsGenerator);
    }

    /// <summary>
    /// Runs the network under bfloat16 autocast (<see cref="torch.autocast"/>), its output returned as float32: a run trained
    /// with <see cref="Training.Precision.BFloat16"/> validates and infers that way too.
    /// </summary>
    public bool MixedPrecision { get; set; }

    /// <summary>
    /// The network's output for an input already in its scale (e.g. L / 50 − 1 for a colorizer), in eval mode without
    /// autograd, on <paramref name="networkInput"/>'s device: what a trainer's validation and samples use.
    /// </summary>
    public Tensor Generate(Tensor networkInput)
    {
        Generator.eval();
        using var scope = NewDisposeScope();
        using (no_grad()) return Run(networkInput.to(Device)).to(networkInput.device).MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor input)
    {
        if (!MixedPrecision) return IO.Generate(Generator, input);
        using var scope = NewDisposeScope();
        using (autocast(Device.type)) return IO.Generate(Generator, input).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>"float32" or "bfloat16 autocast": how logs and tables say what the network runs in.</summary>
    public string PrecisionName => MixedPrecision ? "bfloat16 autocast" : "float32";

    public override string ToString() => MixedPrecision ? $"{base.ToString()}, {PrecisionName}" : base.ToString();

    protected override Tensor Forward(Tensor images) => IO.FromNetwork(images, Network(images));

    protected override Tensor ForwardAb(Tensor gray) => IO.Chroma is null ? base.ForwardAb(gray) : IO.Chroma(gray, Network(gray));

    /// <summary>The network's output for images already on the device (Stage runs it without autograd).</summary>
    private Tensor Network(Tensor images)
    {
        Generator.eval();
        return Run(IO.ToNetwork(images));
    }

    public override void Dispose()
    {
        if (_ownsGenerator) Generator.Dispose();
        base.Dispose();
    }
}
