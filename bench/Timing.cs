using System.Diagnostics;
using static Lib.Torch.torch;

/// <summary>Warm-up, then timed steps; prints the one JSON line bench/run.sh collects.</summary>
static class Timing
{
    public static void Run(Action step, int warmup, int steps, string model, string mode, int batch, int size, int width)
    {
        for (var i = 0; i < warmup; i++) step();
        var times = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine($"{{\"impl\": \"csharp\", \"model\": \"{model}\", \"mode\": \"{mode}\", \"threads\": {get_num_threads()}, \"batch\": {batch}, \"size\": {size}, \"width\": {width}, " +
                          $"\"median_s\": {times[times.Count / 2]:F4}, \"min_s\": {times[0]:F4}, \"steps\": {steps}}}");
    }
}
