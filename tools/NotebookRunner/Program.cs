namespace NotebookRunner;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The first Ctrl+C stops after saving what has run; a second one kills the process as usual.
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancel.IsCancellationRequested)
                return;
            e.Cancel = true;
            cancel.Cancel();
        };
        return await CommandLine.RunAsync(args, Console.Error, cancel.Token);
    }
}
