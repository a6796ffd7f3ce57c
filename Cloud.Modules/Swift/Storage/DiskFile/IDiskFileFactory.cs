namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Where the object server gets an object's <see cref="IDiskFile"/> (swift's DiskFileManager): the files on a device, or a test's memory.</summary>
public interface IDiskFileFactory
{
    /// <summary>The object named by <paramref name="hash"/> in <paramref name="partition"/> on the device at <paramref name="devicePath"/>.</summary>
    IDiskFile Open(string devicePath, int partition, string hash);
}
