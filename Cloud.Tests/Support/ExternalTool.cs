using System.Diagnostics;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Runs the real programs users run on credentials (bash, openssl, unzip, script). A missing one ignores the
/// test naming its Debian package, or fails it when CLOUD_TEST_REQUIRE=1 (CI installs them).
/// </summary>
public static class ExternalTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The program's full path, found on PATH.</summary>
    public static string Require(string program, string debianPackage)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }
        TestEnv.Unavailable($"'{program}' is not installed: apt-get install {debianPackage}");
        return "";
    }

    /// <summary>
    /// Runs <paramref name="program"/> in a clean environment (PATH, HOME, LC_ALL=C only, so a developer's own
    /// OS_* or AWS_* variables cannot leak in) with <paramref name="input"/> as stdin, which is then closed:
    /// stdin is never a terminal. Fails the test if the program is still running after the timeout.
    /// </summary>
    public static async Task<ToolRun> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, string input = "",
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = workingDirectory;
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} still ran after {timeout ?? DefaultTimeout}: it hung");
        }
        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
