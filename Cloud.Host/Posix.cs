using System.Runtime.InteropServices;

namespace Cloud.Host;

/// <summary>Signals .NET's Process class lacks: a graceful SIGTERM rather than Kill's SIGKILL.</summary>
public static partial class Posix
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (Kill(pid, SigTerm) != 0)
        {
            throw new OperatorException($"cannot signal process {pid}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
