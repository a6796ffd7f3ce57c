using System.Runtime.InteropServices;

namespace Cloud.Modules.Network.Drivers;

/// <summary>kill(2), for the SIGHUP that makes dnsmasq re-read its hosts file.</summary>
internal static partial class Signals
{
    public const int SigHup = 1;

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
