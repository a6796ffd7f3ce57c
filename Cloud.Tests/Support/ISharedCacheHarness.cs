using Cloud.Modules.Kernel.Cache;

namespace Cloud.Tests.Support;

/// <summary>One <see cref="ISharedCache"/> implementation, set up for the contract suite.</summary>
public interface ISharedCacheHarness : IAsyncDisposable
{
    ISharedCache Cache { get; }

    Task StartAsync();

    /// <summary>Lets <paramref name="time"/> pass as the cache sees it (a manual clock, or waiting for the real one).</summary>
    Task LetTimePassAsync(TimeSpan time);
}
