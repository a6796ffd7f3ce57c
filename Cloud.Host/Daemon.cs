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

    public static int Detach()
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        start.ArgumentList.Add("-f");
        foreach (var arg in SelfProcess.CommandLine([.. Environment.GetCommandLineArgs().Skip(1)]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[DetachedMarker] = "1";
        using var child = Process.Start(start) ?? throw new OperatorException("cannot start the detached cloudd (setsid)");
        child.StandardInput.Close();
        child.WaitForExit();
        return child.ExitCode;
    }

    public static void WritePidFileIfDetached(FlagValues flags)
    {
        if (Environment.GetEnvironmentVariable(DetachedMarker) != "1" || string.IsNullOrEmpty(flags["pidfile"]))
        {
            return;
        }
        var path = flags["pidfile"]!;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, $"{Environment.ProcessId}\n");
    }
}
