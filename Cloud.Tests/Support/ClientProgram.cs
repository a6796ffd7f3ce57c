using System.Diagnostics;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>Runs a real client program (openstack, aws, ...) as a user would, with a clean environment.</summary>
public static class ClientProgram
{
    /// <summary>The program's path; ignores the test (fails under CLOUD_TEST_REQUIRE=1) naming the Debian package when missing.</summary>
    public static string Require(string path, string debianPackage)
    {
        if (File.Exists(path))
        {
            return path;
        }
        var message = $"{path} is missing: apt-get install {debianPackage}";
        if (Environment.GetEnvironmentVariable("CLOUD_TEST_REQUIRE") == "1")
        {
            Assert.Fail(message);
        }
        Assert.Ignore(message);
        return path;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // Nothing from the developer's shell (OS_*, AWS_*) may leak into what the client sends.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
