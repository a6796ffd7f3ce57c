using System.Diagnostics;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Host;

/// <summary>
/// <c>--daemonize</c>: .NET cannot fork, so cloudd starts itself again in a new session (setsid), detached from
/// the terminal, and the first process exits. The detached one writes <c>--pidfile</c>.
/// </summary>
public static class Daemon
{
    private const string DetachedMarker = "CLOUDD_DETACHED";

    public static bool ShouldDetach(FlagValues flags) =>
        flags["daemonize"] == "true" && Environment.GetEnvironmentVariable(DetachedMarker) != "1";

    /// <summary>
    /// Starts the detached copy with its standard streams away from the caller's (which may be a pipe a script reads to
    /// its end): output goes to <c>cloudd.out</c> in <c>--logdir</c>, or nowhere without one.
    /// </summary>
    public static int Detach(FlagValues flags)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" </dev/null >>\"$CLOUDD_OUT\" 2>&1");
        start.ArgumentList.Add("cloudd");
        foreach (var arg in SelfProcess.CommandLine([.. Environment.GetCommandLineArgs().Skip(1)]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[DetachedMarker] = "1";
        var logdir = flags["logdir"];
        start.Environment["CLOUDD_OUT"] = string.IsNullOrEmpty(logdir) ? "/dev/null" : Path.Combine(logdir, "cloudd.out");
        if (!string.IsNullOrEmpty(logdir))
        {
            Directory.CreateDirectory(logdir);
        }
        using var child = Process.Start(start) ?? throw new OperatorException("cannot start the detached cloudd (setsid)");
        child.StandardInput.Close();
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>
    /// Writes <c>--pidfile</c> when this is the detached process; disposing the result removes the file again, but
    /// only while it still names this process (a second cloudd may have taken it over).
    /// </summary>
    public static IDisposable WritePidFileIfDetached(FlagValues flags)
    {
        if (Environment.GetEnvironmentVariable(DetachedMarker) != "1" || string.IsNullOrEmpty(flags["pidfile"]))
        {
            return new PidFile(null);
        }
        var path = flags["pidfile"]!;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, $"{Environment.ProcessId}\n");
        return new PidFile(path);
    }

    private sealed class PidFile(string? path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (path is not null && File.ReadAllText(path).Trim() == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // Gone already or unreadable: nothing of ours to remove.
            }
        }
    }
}
