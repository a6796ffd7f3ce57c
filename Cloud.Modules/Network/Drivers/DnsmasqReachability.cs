using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// dnsmasq drops to <c>nobody</c> and then rereads its hosts file on every SIGHUP: under a directory others may
/// not enter (a 0700 <c>mktemp -d</c>, a 0700 home) it silently serves no host at all and every guest goes without
/// DHCP. The network role checks this at start and refuses with what to change.
/// </summary>
public static class DnsmasqReachability
{
    private const UnixFileMode OthersMayEnter = UnixFileMode.OtherExecute;

    /// <summary>Throws <see cref="FlagException"/> naming the first directory above <paramref name="directory"/> that others may not enter.</summary>
    public static void Ensure(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & OthersMayEnter) == 0)
            {
                throw FlagError.Of(
                    $"dnsmasq runs as nobody and cannot read its files under {directory}: {dir.FullName} is mode "
                    + $"{Convert.ToString((int)dir.UnixFileMode, 8).PadLeft(4, '0')}; allow others to enter it (chmod o+x {dir.FullName}) "
                    + "or choose a --state_path whose directories others may enter");
            }
        }
    }
}
