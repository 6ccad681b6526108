using System.Diagnostics;
using static Lib.Torch.torch;

/// <summary>Warm-up, then timed steps; prints the one JSON line bench/run.sh collects.</summary>
static class Timing
{
    /// <summary>CUDA runs asynchronously: a step is timed up to the end of its last kernel.</summary>
    public static Lib.Torch.Device Device { get; set; } = CPU;

    /// <summary>The process's peak resident set (VmHWM), in MB: libtorch's own baseline plus the largest step's activations.</summary>
    public static double PeakRssMb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

    /// <summary>--precision bf16: every timed step runs under bfloat16 autocast (issue 24; PyTorch's side stays float32).</summary>
    public static bool Bf16;

    public static void Run(Action work, int warmup, int steps, string model, string mode, int batch, int size, int width)
    {
        void step()
        {
            using (Bf16 ? autocast(Device.type) : null) work();
        }
        for (var i = 0; i < warmup; i++) step();
        if (Device.type == Lib.Torch.DeviceType.CUDA) cuda.synchronize();
        var times = new List<double>();
        var missesBefore = Lib.Torch.CpuCachingAllocator.Counts.Misses;
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            if (Device.type == Lib.Torch.DeviceType.CUDA) cuda.synchronize();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        // Blocks the CPU cache mapped afresh during the timed steps: 0 once a loop's sizes are all cached.
        var misses = Lib.Torch.CpuCachingAllocator.Counts.Misses - missesBefore;
        times.Sort();
        Console.WriteLine($"{{\"impl\": \"csharp\", \"model\": \"{model}\", \"mode\": \"{mode}\", \"device\": \"{Device}\", \"threads\": {get_num_threads()}, \"batch\": {batch}, \"size\": {size}, \"width\": {width}, " +
                          $"\"precision\": \"{(Bf16 ? "bf16" : "float32")}\", \"median_s\": {times[times.Count / 2]:F4}, \"min_s\": {times[0]:F4}, \"steps\": {steps}, \"peak_rss_mb\": {PeakRssMb():F0}, \"cache_misses\": {misses}}}");
    }
}
