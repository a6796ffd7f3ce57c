using Cloud.Modules.Glance.Stores;

namespace Cloud.Tests.Support;

/// <summary>The file store in a temporary directory.</summary>
public sealed class FileImageStoreHarness : IImageStoreHarness
{
    private readonly TempDir _dir = new();

    public FileImageStoreHarness() => Store = new FileImageStore(Path.Combine(_dir.Path, "images"));

    public IImageStore Store { get; }

    public Task StartAsync() => Task.CompletedTask;

    public Task<IReadOnlyList<string>> HeldForAsync(string imageId)
    {
        var dir = ((FileImageStore)Store).DataDir;
        IReadOnlyList<string> held = Directory.Exists(dir)
            ? Directory.GetFiles(dir).Where(f => Path.GetFileName(f).Contains(imageId, StringComparison.Ordinal)).ToList()
            : [];
        return Task.FromResult(held);
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
