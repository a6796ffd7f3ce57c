using System.Diagnostics;

namespace Cloud.Host;

/// <summary>Starts cloudd again as a child process (daemonizing, benchmarks), however this one was started.</summary>
public static class SelfProcess
{
    /// <summary><c>cloudd args</c>, or <c>dotnet cloudd.dll args</c> when running under the dotnet host.</summary>
    public static IReadOnlyList<string> CommandLine(IEnumerable<string> args)
    {
        var exe = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(exe) == "dotnet"
            ? [exe, typeof(SelfProcess).Assembly.Location, .. args]
            : [exe, .. args];
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var line = CommandLine(args);
        var start = new ProcessStartInfo(line[0]) { UseShellExecute = false };
        foreach (var arg in line.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }
}
