using System.Collections.Concurrent;
using System.Net;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The account and container HEADs the middlewares read on every object request (versioning state, storage policy,
/// existence before a PUT, quotas, ACLs, tempurl keys), kept for a while as swift's proxy keeps them in memcache
/// (<c>get_account_info</c> / <c>get_container_info</c>, <c>recheck_account_existence</c> and
/// <c>recheck_container_existence</c>, 60 s each): without it a 4 KiB PUT cost four container HEADs and an account
/// HEAD besides its three object PUTs. Only successful answers are kept; this proxy's own account and container
/// writes forget them at once (<see cref="ForgetAccount"/>, <see cref="ForgetContainer"/>), another proxy's show after
/// at most <see cref="Recheck"/>, as in swift. Counts and bytes used change with every object write, so whoever needs
/// them current (quotas) reads them fresh once the cached headers say a quota is set.
/// </summary>
/// <param name="head">Reads an account's (container null) or a container's HEAD from its first replica that answers.</param>
/// <param name="clock">What says when a kept answer is due for a recheck.</param>
public sealed class ProxyInfoCache(Func<string, string?, CancellationToken, Task<HttpResponseMessage?>> head, TimeProvider clock)
{
    /// <summary>swift's recheck_account_existence and recheck_container_existence defaults.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(60);

    // Bounded so a client touching many containers cannot grow it without end; cleared when full.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string Account, string? Container), Snapshot> _known = new();

    // Bumped by every forget: an answer read while a write changed the container is not kept.
    private long _generation;

    /// <summary>The cache of the storage servers named by <paramref name="rings"/>, read through <paramref name="backend"/>.</summary>
    public ProxyInfoCache(SwiftRings rings, SwiftBackend backend, TimeProvider clock)
        : this(HeadOf(rings, backend), clock)
    {
    }

    /// <summary>The container's HEAD: the kept answer while fresh, else the first replica's (null: none answered).</summary>
    public Task<HttpResponseMessage?> ContainerAsync(string account, string container, CancellationToken cancellationToken) =>
        ReadAsync((account, container), cancellationToken);

    /// <summary>The account's HEAD: the kept answer while fresh, else the first replica's (null: none answered).</summary>
    public Task<HttpResponseMessage?> AccountAsync(string account, CancellationToken cancellationToken) =>
        ReadAsync((account, null), cancellationToken);

    /// <summary>Forgets a container's answer: this proxy wrote it (PUT, POST, DELETE).</summary>
    public void ForgetContainer(string account, string container) => Forget((account, container));

    /// <summary>Forgets an account's answer: this proxy wrote it (PUT, POST, DELETE).</summary>
    public void ForgetAccount(string account) => Forget((account, null));

    private void Forget((string, string?) key)
    {
        Interlocked.Increment(ref _generation);
        _known.TryRemove(key, out _);
    }

    private static Func<string, string?, CancellationToken, Task<HttpResponseMessage?>> HeadOf(SwiftRings rings, SwiftBackend backend) =>
        (account, container, cancellationToken) =>
        {
            var ring = container is null ? rings.Account : rings.Container;
            var part = ring.GetPartition(account, container);
            return backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, cancellationToken);
        };

    private async Task<HttpResponseMessage?> ReadAsync((string Account, string? Container) key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && known.Until > now)
        {
            return known.ToResponse();
        }
        var generation = Interlocked.Read(ref _generation);
        var answer = await head(key.Account, key.Container, cancellationToken).ConfigureAwait(false);
        if (answer is { IsSuccessStatusCode: true })
        {
            var snapshot = Snapshot.Of(answer, now + Recheck);
            if (_known.Count >= MaxEntries)
            {
                _known.Clear();
            }
            // Checked after the add too: a forget between the check and the add must win.
            if (Interlocked.Read(ref _generation) == generation)
            {
                _known[key] = snapshot;
                if (Interlocked.Read(ref _generation) != generation)
                {
                    _known.TryRemove(key, out _);
                }
            }
        }
        return answer;
    }

    /// <summary>One kept answer: its status and headers as the replica wrote them, given out as a new response each time.</summary>
    private sealed record Snapshot(HttpStatusCode Status, KeyValuePair<string, string[]>[] Headers, KeyValuePair<string, string[]>[] ContentHeaders, DateTimeOffset Until)
    {
        public static Snapshot Of(HttpResponseMessage head, DateTimeOffset until) =>
            new(head.StatusCode,
                [.. head.Headers.NonValidated.Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()))],
                [.. head.Content.Headers.NonValidated.Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()))],
                until);

        public HttpResponseMessage ToResponse()
        {
            var response = new HttpResponseMessage(Status) { Content = new ByteArrayContent([]) };
            foreach (var (name, values) in Headers)
            {
                response.Headers.TryAddWithoutValidation(name, values);
            }
            response.Content.Headers.Clear();
            foreach (var (name, values) in ContentHeaders)
            {
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }
            return response;
        }
    }
}
