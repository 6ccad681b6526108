// A minimal test runner for a device without a test host (a GPU machine without the .NET SDK): runs
// every [Fact] of the listed test classes, each on a fresh instance, on LIB_TEST_DEVICE; prints
// "N passed, N failed, N skipped" and exits non-zero on a failure. With --train-superres, it times the
// super-resolution report profile instead (TrainCheck.cs).
using System.Reflection;
using Lib.Tests;
using Lib.Torch;

Console.WriteLine($"libtorch {torch.__version__}, device {TestSupport.Device}, CUDA available: {torch.cuda.is_available()} ({torch.cuda.device_count()} devices)");
if (args is ["--train-superres", var photos, var output, ..])
    return TrainCheck.Run(photos, output, args.Length > 3 ? int.Parse(args[3]) : 2, args.Length > 4 ? int.Parse(args[4]) : 1);
var onGpu = TestSupport.Device.type == DeviceType.CUDA;
// Exact resume compares losses bit for bit, which needs deterministic kernels: cuDNN's backward
// convolutions are not, so on a GPU a resumed run is close to, not equal to, an uninterrupted one.
var skipOnGpu = new HashSet<string>
{
    nameof(ColorizationTrainingTests.Resuming_from_a_checkpoint_gives_the_same_next_losses_as_an_uninterrupted_run),
    nameof(SuperResolutionTrainingTests.Resuming_the_gan_run_repeats_it_exactly_and_the_fallback_is_named),
};
Type[] suites = [typeof(ParityTests), typeof(SRResNetParityTests), typeof(TrainingDeviceTests),
                 typeof(ColorizationTrainingTests), typeof(SuperResolutionTrainingTests)];
int passed = 0, failed = 0, skipped = 0;
foreach (var suite in suites)
    foreach (var method in suite.GetMethods().Where(m => m.GetCustomAttribute<FactAttribute>() is not null))
    {
        var name = $"{suite.Name}.{method.Name}";
        if (onGpu && skipOnGpu.Contains(method.Name))
        {
            skipped++;
            Console.WriteLine($"  skip  {name} (bit-exact resume needs deterministic kernels)");
            continue;
        }
        var instance = Activator.CreateInstance(suite);
        try
        {
            method.Invoke(instance, null);
            passed++;
            Console.WriteLine($"  ok    {name}");
        }
        catch (TargetInvocationException e)
        {
            failed++;
            Console.WriteLine($"  FAIL  {name}: {e.InnerException?.Message}");
        }
        finally { (instance as IDisposable)?.Dispose(); }
    }
Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
return failed == 0 ? 0 : 1;
