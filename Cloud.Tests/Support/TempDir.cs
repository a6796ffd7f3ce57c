namespace Cloud.Tests.Support;

/// <summary>A scratch directory deleted when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cloudd-test-").FullName;

    /// <summary>
    /// Lets other users traverse it (0755): QEMU runs as libvirt-qemu and must reach the instance files beneath,
    /// while a temp directory starts as 0700.
    /// </summary>
    public TempDir Traversable()
    {
        if (OperatingSystem.IsLinux())
        {
            System.IO.File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        }
        return this;
    }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file; the OS's temp cleaning will get it.
        }
    }
}
