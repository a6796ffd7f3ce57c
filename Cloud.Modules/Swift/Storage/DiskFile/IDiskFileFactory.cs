namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Where the object server gets an object's <see cref="IDiskFile"/> (swift's DiskFileManager): the files on a device, or a test's memory.</summary>
public interface IDiskFileFactory
{
    /// <summary>The object named by <paramref name="hash"/> in <paramref name="partition"/> on the device at <paramref name="devicePath"/>.</summary>
    IDiskFile Open(string devicePath, int partition, string hash);

    /// <summary>The object of storage policy <paramref name="policyIndex"/> (policy N keeps its objects apart, in objects-N).</summary>
    IDiskFile Open(string devicePath, int partition, string hash, int policyIndex);
}
