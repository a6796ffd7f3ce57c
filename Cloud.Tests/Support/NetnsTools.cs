using System.Diagnostics;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Network namespaces for the networking tests: root and the host tools (ip, dnsmasq, dhcp_release, iptables, busybox)
/// are required; without them a test is ignored, or fails when CLOUD_TEST_REQUIRE=1. Namespaces are named
/// <c>cloudd-network-N</c> and deleted by <see cref="Delete"/>.
/// </summary>
public static class NetnsTools
{
    private static readonly string[] Tools = ["/usr/sbin/ip", "/usr/sbin/dnsmasq", "/usr/bin/dhcp_release", "/usr/sbin/iptables", "/usr/bin/busybox"];

    public static void RequireRootAndTools()
    {
        var missing = Tools.Where(t => !File.Exists(t)).ToList();
        var reason = Environment.UserName != "root" ? "these tests change network namespaces and need root"
            : missing.Count > 0 ? $"missing {string.Join(", ", missing)} (apt-get install dnsmasq-base dnsmasq-utils iptables busybox-static iproute2)"
            : null;
        if (reason is null)
        {
            return;
        }
        TestEnv.Unavailable(reason);
    }

    /// <summary>Runs a command (no shell); throws with its stderr when it fails.</summary>
    public static string Run(params string[] command)
    {
        var (code, stdout, stderr) = TryRun(command);
        return code == 0 ? stdout : throw new InvalidOperationException($"{string.Join(' ', command)}: exit {code}: {stderr}");
    }

    public static (int Code, string Stdout, string Stderr) TryRun(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Creates a fresh namespace with lo up (an old one of the same name is removed first).</summary>
    public static string Create(string name)
    {
        Delete(name);
        Run("ip", "netns", "add", name);
        Run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        return name;
    }

    public static void Delete(string name) => TryRun("ip", "netns", "del", name);
}
