// A minimal runner for the parity facts where no test host exists: each [Fact]/[Theory]-less test
// method of ParityTests runs on a fresh instance; prints "N passed, N failed" and exits non-zero on failure.
using System.Reflection;
using Lib.Tests;
using Lib.Torch;

Console.WriteLine($"libtorch {torch.__version__}, device {TestSupport.Device}, CUDA available: {torch.cuda.is_available()} ({torch.cuda.device_count()} devices)");
int passed = 0, failed = 0;
foreach (var method in typeof(ParityTests).GetMethods().Where(m => m.GetCustomAttribute<FactAttribute>() is not null))
{
    try
    {
        using var instance = new ParityTests();
        method.Invoke(instance, null);
        passed++;
        Console.WriteLine($"  ok    {method.Name}");
    }
    catch (TargetInvocationException e)
    {
        failed++;
        Console.WriteLine($"  FAIL  {method.Name}: {e.InnerException?.Message}");
    }
}
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
