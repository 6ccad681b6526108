// Times the colorizers in C#: a GAN training step (D step + G step) or generator inference.
// Prints one JSON line; bench/run.sh runs it beside bench/colorizer_bench.py (the same models in PyTorch).
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

int steps = 10, warmup = 3, threads = Environment.ProcessorCount, batch = 16, size = 64, width = 64;
string model = "pix2pix", mode = "train", device = "cpu", outDir = "bench/out/cli/runs";
string? photoDirs = null, only = null; // the precision study's photo folders (':'-separated) and cases
var setToNone = true; // PyTorch 2's default and ours; the Python side passes the same
var fastPaths = true; // issue 14: sub-pixel ConvTranspose2d and fused optimizers; false = the per-op ATen path
bool? cachingAllocator = null; // issue 24: reuse freed CPU blocks; default: with the other fast paths
bool? channelsLast = null; // issue 24: forward-only convolutions channels-last; default: with the other fast paths
for (var i = 0; i < args.Length - 1; i += 2)
    switch (args[i])
    {
        case "--steps": steps = int.Parse(args[i + 1]); break;
        case "--warmup": warmup = int.Parse(args[i + 1]); break;
        case "--threads": threads = int.Parse(args[i + 1]); break;
        case "--batch": batch = int.Parse(args[i + 1]); break;
        case "--size": size = int.Parse(args[i + 1]); break;
        case "--width": width = int.Parse(args[i + 1]); break;
        case "--model": model = args[i + 1]; break;
        case "--mode": mode = args[i + 1]; break;
        case "--set-to-none": setToNone = bool.Parse(args[i + 1]); break;
        case "--device": device = args[i + 1]; break;
        case "--fast-paths": fastPaths = bool.Parse(args[i + 1]); break;
        case "--precision": Timing.Bf16 = args[i + 1] switch { "bf16" => true, "float32" => false, var p => throw new ArgumentException($"--precision {p}: use float32 or bf16") }; break;
        case "--sub-pixel-inference": nn.SubPixelConvTranspose.InInference = bool.Parse(args[i + 1]); break;
        case "--caching-allocator": cachingAllocator = bool.Parse(args[i + 1]); break;
        case "--channels-last-inference": channelsLast = bool.Parse(args[i + 1]); break;
        case "--idle-fraction": CpuCachingAllocator.IdleFraction = args[i + 1] == "inf" ? double.PositiveInfinity : double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--channels-last-min-pixels": nn.ChannelsLastInference.MinPixels = long.Parse(args[i + 1]); break;
        case "--out": outDir = args[i + 1]; break;
        case "--data": photoDirs = args[i + 1]; break;
        case "--only": only = args[i + 1]; break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; use --model pix2pix|report --mode train|infer --size --batch --width --steps --warmup --threads --device cpu|cuda --precision float32|bf16");
            return 2;
    }

set_num_threads(threads);
nn.SubPixelConvTranspose.Enabled = fastPaths;
nn.ChannelsLastInference.Enabled = channelsLast ?? fastPaths;
CpuCachingAllocator.Enabled = cachingAllocator ?? fastPaths;
Lib.Torch.Optimizers.Optimizer.UseFusedKernels = fastPaths;
manual_seed(0);
var dev = Device.Parse(device);
Timing.Device = dev;
if (model == "eval") return EvalBench.Run(fastPaths, steps);
if (model == "eval-sets") return EvalBench.RunSets(steps);
if (model == "adam") return OptimBench.Run(size, width, steps, warmup, fastPaths);
if (model == "layers") return LayerBench.Run(batch, steps, warmup);
if (model == "precision-study")
    return PrecisionStudy.Run((photoDirs ?? "../shared/data/imagenet-sample:../shared/data/coco").Split(':'), args.Contains("--out") ? outDir : "bench/out/precision", only);
if (model == "cli-checkpoints") return CliCheckpoints.Write(outDir);
if (model == "srgan") return SrBench.Run(mode, size, batch, steps, warmup, setToNone, dev);
if (model == "joint") return JointBench.Run(mode, size, batch, width, steps, warmup, setToNone, dev);
if (ColorizerVariantsBench.Models.Contains(model)) return ColorizerVariantsBench.Run(model, mode, size, batch, width, steps, warmup, setToNone, dev);
using nn.Module<Tensor, Tensor> g = model == "report" ? new ReportUnet(1, 2, width) : new UnetGenerator(1, 2, (int)Math.Log2(size), width);
using nn.Module<Tensor, Tensor> d = model == "report" ? new ReportDiscriminator(3, width) : new PatchDiscriminator(3, width, 3);
g.to(dev);
d.to(dev);
var cd = (IConditionalDiscriminator)d;
using var optG = optim.Adam(g.parameters(), 2e-4, 0.5, 0.999);
using var optD = optim.Adam(d.parameters(), 2e-4, 0.5, 0.999);
using var l = rand([batch, 1, size, size], device: dev).mul_(2).sub_(1);
using var ab = rand([batch, 2, size, size], device: dev).mul_(2).sub_(1);

// pix2pix's vanilla loss on PatchGAN logits; the report's LSGAN on its sigmoid output.
Tensor Adv(Tensor pred, bool real)
{
    using var target = real ? ones_like(pred) : zeros_like(pred);
    return cd.OutputsProbability ? F.mse_loss(pred, target) : F.binary_cross_entropy_with_logits(pred, target);
}

void TrainStep()
{
    using var scope = NewDisposeScope();
    var fake = g.call(l);
    optD.zero_grad(setToNone);
    var lossD = (Adv(cd.call(l, fake.detach()), false) + Adv(cd.call(l, ab), true)) * 0.5;
    lossD.backward();
    optD.step();
    optG.zero_grad(setToNone);
    var lossG = Adv(cd.call(l, fake), true) + F.l1_loss(fake, ab) * 100;
    lossG.backward();
    optG.step();
}

void Infer()
{
    using var scope = NewDisposeScope();
    using var _ = no_grad();
    g.call(l);
}

if (mode == "infer") g.eval();
Timing.Run(mode == "infer" ? Infer : TrainStep, warmup, steps, model, mode, batch, size, width);
return 0;
