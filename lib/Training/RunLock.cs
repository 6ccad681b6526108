using System.Diagnostics;
using System.Globalization;

namespace Lib.Training;

/// <summary>
/// One training run per output folder at a time: a ".lock" file holding the owner's process id and start
/// time. A second run into the folder is refused while that process lives; a lock left by a crashed run
/// (its process gone, or its id reused by a process that started later) is taken over with a note.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly string _path;

    private RunLock(string path) => _path = path;

    /// <summary>Takes the folder's lock or throws <see cref="InvalidOperationException"/> naming the process that holds it.</summary>
    public static RunLock Acquire(string directory, TextWriter? log = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var self = Process.GetCurrentProcess();
        var mine = $"{self.Id} {StartTicks(self).ToString(CultureInfo.InvariantCulture)} {Environment.MachineName}";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var w = new StreamWriter(fs);
                w.Write(mine);
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = Holder(path);
                if (holder is not null)
                    throw new InvalidOperationException(
                        $"{directory} is in use by another training run ({holder}). Wait for it to finish, or train into another output folder; " +
                        $"if no such run exists, delete {path}.");
                log?.WriteLine($"note: {path} was left by a run that is no longer running; taking it over");
                try { File.Delete(path); } catch (IOException) { }
            }
        }
        throw new IOException($"could not create {path}: another process keeps creating it");
    }

    /// <summary>A description of the live process holding the lock at <paramref name="path"/>, or null when the lock is stale.</summary>
    private static string? Holder(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException) { return null; }
        var parts = text.Split(' ', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], out var pid) || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
            return null; // not a lock this class wrote (or half-written by a crash)
        if (parts.Length == 3 && parts[2] != Environment.MachineName)
            return $"process {pid} on {parts[2]}"; // another machine's process cannot be checked from here: assume it lives
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited || StartTicks(p) != ticks) return null;
            return pid == Environment.ProcessId ? $"this process (id {pid}) — another trainer is fitting into it" : $"process {pid}, {p.ProcessName}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static long StartTicks(Process p)
    {
        try { return p.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond; }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return 0; }
    }

    public void Dispose()
    {
        try { File.Delete(_path); } catch (IOException) { }
    }
}
