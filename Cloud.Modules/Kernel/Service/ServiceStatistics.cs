using System.Collections.Concurrent;

namespace Cloud.Modules.Kernel.Service;

/// <summary>What one service has handled since it started, for <see cref="Ping"/>.</summary>
public sealed class ServiceStatistics
{
    // Bounded so a long-running service that is pinged forever keeps constant memory; past the bound
    // the distinct count stops growing, which the operator sees as Distinct < Received.
    private const int MaxTrackedNoops = 1_000_000;

    private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), byte> _noops = new();

    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public void Count(string method) => _received.AddOrUpdate(method, 1, (_, n) => n + 1);

    public void CountNoop(Noop noop)
    {
        if (_noops.Count < MaxTrackedNoops)
        {
            _noops.TryAdd((noop.Sender, noop.Sequence), 0);
        }
    }

    public IReadOnlyDictionary<string, long> Received => new SortedDictionary<string, long>(_received, StringComparer.Ordinal);

    public long DistinctNoops => _noops.Count;
}
