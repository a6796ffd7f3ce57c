using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Kernel.IO;

/// <summary>System calls on the descriptor of a .NET file handle, for what .NET has no API for (fcntl, sync_file_range).</summary>
internal static class FileDescriptors
{
    /// <summary>
    /// Runs <paramref name="call"/> with the descriptor of <paramref name="file"/>, holding a reference on the handle
    /// meanwhile so another thread closing it cannot hand the number to a new file under the call.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The handle was closed already.</exception>
    public static int Call(SafeFileHandle file, Func<int, int> call)
    {
        ArgumentNullException.ThrowIfNull(file);
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return call((int)file.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }
}
