using Cloud.Modules.Kernel.Cache;

namespace Cloud.Tests.Support;

/// <summary>The in-process cache on a manual clock.</summary>
public sealed class InProcessCacheHarness : ISharedCacheHarness
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));

    public ISharedCache Cache { get; private set; } = default!;

    public Task StartAsync()
    {
        Cache = new InProcessCache(_clock);
        return Task.CompletedTask;
    }

    public Task LetTimePassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
