using System.Reflection;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// dnsmasq's lease script (<c>--dhcp-script</c>), nova's <c>--dhcpbridge</c>: dnsmasq runs it as
/// <c>SCRIPT add|old|del MAC IP [HOSTNAME]</c> with the environment it was started with, so, as nova did, dnsmasq is
/// started under <c>env FLAGFILE=--dhcpbridge_flagfile</c>. dnsmasq takes a program path, not a command line, so
/// cloudd's own <c>dhcpbridge</c> command is reached through a two-line wrapper in the networks directory.
/// </summary>
public static class DhcpBridgeScript
{
    public const string WrapperName = "dhcpbridge";

    /// <summary>
    /// The program dnsmasq should run: <paramref name="configured"/> when it exists, else a wrapper (rewritten only when it
    /// changes) that runs this cloudd's <c>dhcpbridge</c> command with <c>$FLAGFILE</c>.
    /// </summary>
    public static string Ensure(string networksDirectory, string configured)
    {
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }
        var path = Path.Combine(networksDirectory, WrapperName);
        var text = Wrapper(SelfCommand());
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            File.WriteAllText(path + ".tmp", text);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            File.Move(path + ".tmp", path, overwrite: true);
        }
        return path;
    }

    /// <summary>
    /// The flag file the lease script reads: <paramref name="configured"/> (<c>--dhcpbridge_flagfile</c>) when it exists,
    /// else one the role writes (owner-only: it holds the database URL) from its own effective <paramref name="flags"/>,
    /// so a role started with flags on its command line only still has its leases recorded in its database.
    /// </summary>
    public static string EnsureFlagFile(string networksDirectory, string configured, IReadOnlyList<string> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return Path.GetFullPath(configured);
        }
        var path = Path.Combine(networksDirectory, WrapperName + ".conf");
        var text = "# Written by the cloudd network role for its dnsmasq lease script (no --dhcpbridge_flagfile found).\n"
            + string.Concat(flags.Select(f => f + "\n"));
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(path + ".tmp", new System.Text.UTF8Encoding(false), options))
            {
                writer.Write(text);
            }
            File.Move(path + ".tmp", path, overwrite: true);
        }
        return path;
    }

    /// <summary>The wrapper's text: exec <paramref name="cloudd"/> dhcpbridge, with --flagfile=$FLAGFILE when dnsmasq has one.</summary>
    public static string Wrapper(IReadOnlyList<string> cloudd) =>
        "#!/bin/sh\n# Written by the cloudd network role: dnsmasq's --dhcp-script, reporting leases to the database.\n"
        + $"exec {string.Join(' ', cloudd.Select(Quote))} dhcpbridge ${{FLAGFILE:+--flagfile=\"$FLAGFILE\"}} \"$@\"\n";

    /// <summary>The dnsmasq command with the lease script and its environment, when the settings name one.</summary>
    public static IReadOnlyList<string> WithLeaseScript(IReadOnlyList<string> dnsmasq, DhcpSettings settings)
    {
        if (settings.LeaseScript is null)
        {
            return dnsmasq;
        }
        var env = string.IsNullOrEmpty(settings.LeaseScriptFlagFile) ? [] : new[] { "env", $"FLAGFILE={settings.LeaseScriptFlagFile}" };
        return [.. env, .. dnsmasq, $"--dhcp-script={settings.LeaseScript}"];
    }

    /// <summary>How this process was started: the cloudd apphost, or <c>dotnet cloudd.dll</c>.</summary>
    private static IReadOnlyList<string> SelfCommand()
    {
        var exe = Environment.ProcessPath ?? "cloudd";
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } dll ? [exe, dll] : [exe];
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
