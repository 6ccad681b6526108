// One pix2pix colorizer training step (a D step and a G step) at 64×64, batch 16, timed.
// Prints one JSON line per run; bench/run.sh compares it with bench/pix2pix_step.py.
using System.Diagnostics;
using Lib.Models;
using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

int steps = 10, warmup = 3, threads = Environment.ProcessorCount, batch = 16, size = 64;
for (var i = 0; i < args.Length - 1; i += 2)
    switch (args[i])
    {
        case "--steps": steps = int.Parse(args[i + 1]); break;
        case "--warmup": warmup = int.Parse(args[i + 1]); break;
        case "--threads": threads = int.Parse(args[i + 1]); break;
        case "--batch": batch = int.Parse(args[i + 1]); break;
        case "--size": size = int.Parse(args[i + 1]); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; use --steps --warmup --threads --batch --size"); return 2;
    }

set_num_threads(threads);
manual_seed(0);
var numDowns = (int)Math.Log2(size);
using var g = new UnetGenerator(1, 2, numDowns, 64);
using var d = new PatchDiscriminator(3, 64, 3);
using var optG = optim.Adam(g.parameters(), 2e-4, 0.5, 0.999);
using var optD = optim.Adam(d.parameters(), 2e-4, 0.5, 0.999);
using var l = rand(batch, 1, size, size).mul_(2).sub_(1);
using var ab = rand(batch, 2, size, size).mul_(2).sub_(1);

void Step()
{
    using var scope = NewDisposeScope();
    var fake = g.call(l);
    optD.zero_grad();
    var predFake = d.call(l, fake.detach());
    var predReal = d.call(l, ab);
    var lossD = (F.binary_cross_entropy_with_logits(predFake, zeros_like(predFake)) +
                 F.binary_cross_entropy_with_logits(predReal, ones_like(predReal))) * 0.5;
    lossD.backward();
    optD.step();
    optG.zero_grad();
    var pred = d.call(l, fake);
    var lossG = F.binary_cross_entropy_with_logits(pred, ones_like(pred)) + F.l1_loss(fake, ab) * 100;
    lossG.backward();
    optG.step();
}

for (var i = 0; i < warmup; i++) Step();
var times = new List<double>();
for (var i = 0; i < steps; i++)
{
    var sw = Stopwatch.StartNew();
    Step();
    times.Add(sw.Elapsed.TotalSeconds);
}
times.Sort();
var median = times[times.Count / 2];
Console.WriteLine($"{{\"impl\": \"csharp\", \"threads\": {get_num_threads()}, \"batch\": {batch}, \"size\": {size}, \"median_s\": {median:F4}, \"min_s\": {times[0]:F4}, \"steps\": {steps}, \"live_tensors\": {LiveTensorCount}}}");
return 0;
