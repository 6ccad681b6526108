using System.Globalization;
using System.Runtime.InteropServices;
using NotebookRunner;

namespace WorkbookKernel;

internal static class Program
{
    private const string Usage =
        "usage: WorkbookKernel -f CONNECTION_FILE [--stop-grace SECONDS]   run the kernel (Jupyter starts it so)\n"
        + "       WorkbookKernel install [--prefix DIR]                    install the kernelspec '" + KernelIdentity.Name + "'\n"
        + "  install writes <data dir>/kernels/" + KernelIdentity.Name + "/kernel.json, the data dir being $JUPYTER_DATA_DIR,\n"
        + "  else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter (what `jupyter --data-dir` prints);\n"
        + "  --prefix DIR writes DIR/share/jupyter/kernels/ instead (e.g. a virtual environment's prefix).";

    private static int Main(string[] args)
    {
        var log = Console.Error;
        try
        {
            if (args is ["install", .. var rest])
                return KernelSpecInstaller.Install(rest, log);
            if (args.Length >= 2 && args[0] == "-f")
            {
                var grace = TimeSpan.FromSeconds(3);
                if (args is [_, _, "--stop-grace", var seconds] && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0)
                    grace = TimeSpan.FromSeconds(s);
                return Run(args[1], grace, log);
            }
            log.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"WorkbookKernel: {e.Message}");
            return 1;
        }
    }

    private static int Run(string connectionFile, TimeSpan grace, TextWriter log)
    {
        var connection = ConnectionInfo.Load(connectionFile);
        using var server = new KernelServer(connection, log);
        if (!server.Signer.Enabled)
            server.Log("warning: the connection file has an empty key, so messages are not signed and any local process may run code here");
        var kernel = new Kernel(server, Environment.CurrentDirectory, grace);

        // What cells print becomes stream messages; the kernel's own log keeps the original stderr.
        using var capture = new ConsoleCapture(kernel.Router, echo: false);
        Console.SetIn(kernel.Stdin);
        // A front end whose kernelspec says interrupt_mode "signal" sends SIGINT instead of a message.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            kernel.Interrupt();
        });
        AppContext.SetData(HostContract.InteractiveKey, true);

        server.Start(kernel.HandleShell, kernel.HandleControl);
        kernel.PublishStatus("starting", null);
        server.Log($"listening on {connection.Ip} (shell {connection.ShellPort}, iopub {connection.IopubPort}, control {connection.ControlPort}, stdin {connection.StdinPort}, hb {connection.HeartbeatPort}); folder {Environment.CurrentDirectory}");
        var code = kernel.Exited.GetAwaiter().GetResult();
        server.Log("exiting");
        return code;
    }
}
