using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Debian 12's real EC2 clients: awscli (package <c>awscli</c>), boto3 (<c>python3-boto3</c>) and boto2
/// (<c>python3-boto</c>). Debian's own copies in /usr/bin come first, so a pip-installed awscli on PATH does
/// not stand in for the version users have. A missing client ignores the test, or fails it when CLOUD_TEST_REQUIRE=1.
/// </summary>
internal static class Ec2Clients
{
    private static readonly Lazy<string?> Aws = new(() => Find(["/usr/bin/aws", "aws"], ["--version"]));
    private static readonly Lazy<string?> Boto3Python = new(() => Find(["/usr/bin/python3", "python3"], ["-c", "import boto3"]));
    private static readonly Lazy<string?> Boto2Python = new(() => Find(["/usr/bin/python3", "python3"], ["-c", "import boto.ec2"]));

    private static bool Required => Environment.GetEnvironmentVariable("CLOUD_TEST_REQUIRE") == "1";

    public static string? AwsCliOrNull => Aws.Value;

    public static string? Boto3PythonOrNull => Boto3Python.Value;

    public static string? Boto2PythonOrNull => Boto2Python.Value;

    /// <summary>Ignores the test (or fails it under CLOUD_TEST_REQUIRE=1) naming the Debian package to install.</summary>
    public static void Missing(string package)
    {
        var message = $"install the Debian package {package} (apt-get install -y {package}) to run this test";
        if (Required)
        {
            Assert.Fail($"CLOUD_TEST_REQUIRE=1 but {message}");
        }
        Assert.Ignore(message);
    }

    /// <summary>
    /// Runs a client with only the environment it needs: no configuration files, no instance-metadata probe and
    /// no proxy, so it can reach nothing but the loopback endpoint.
    /// </summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment, string? stdin = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = stdin is null ? null : new UTF8Encoding(false),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(IsClientSetting).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["BOTO_CONFIG"] = "/dev/null";
        start.Environment["NO_PROXY"] = "*";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish within 60 s: {stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool IsClientSetting(string name) =>
        name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("BOTO", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase);

    private static string? Find(string[] candidates, string[] probe)
    {
        foreach (var candidate in candidates)
        {
            try
            {
                var (exit, _, _) = Run(candidate, probe, new Dictionary<string, string>());
                if (exit == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed at this path.
            }
        }
        return null;
    }
}
