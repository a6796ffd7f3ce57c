using System.Collections.Concurrent;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Tests.Support;

/// <summary>A test double of a volume host's endpoint: records what reaches <c>volume.&lt;host&gt;</c> and does nothing.</summary>
public sealed class RecordingVolumeHost : IRpcEndpoint
{
    private readonly ConcurrentQueue<IRpcMessage> _received = new();

    public IReadOnlyList<IRpcMessage> Received => [.. _received];

    public Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        _received.Enqueue(message);
        return Task.FromResult<object?>(null);
    }

    /// <summary>Waits until a message of type <typeparamref name="T"/> matching <paramref name="match"/> arrived.</summary>
    public Task WaitForAsync<T>(Func<T, bool> match) where T : IRpcMessage =>
        Poller.UntilAsync(() => _received.OfType<T>().Any(match), TimeSpan.FromSeconds(10), $"a {typeof(T).Name} on the volume host");
}
