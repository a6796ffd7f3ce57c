namespace Cloud.Tests.Support;

/// <summary>A temporary directory as an <see cref="IAsyncDisposable"/>, for a fixture's list of things to tear down in reverse.</summary>
public sealed class DisposeDirectory(TempDir dir) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
