using System.Runtime.InteropServices;

namespace Cloud.Tests.Support;

/// <summary>kill(2): a signal to one process, as an operator's <c>kill</c> or systemd's stop sends it.</summary>
public static class PosixSignal
{
    public const int Term = 15;

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
