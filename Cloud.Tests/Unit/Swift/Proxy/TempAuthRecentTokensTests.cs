using Cloud.Modules.Kernel.Cache;
using Cloud.Modules.Swift.Proxy;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>Tempauth asks the shared cache for a token once per few seconds, and still ends it when it expires.</summary>
public sealed class TempAuthRecentTokensTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private CountingCache _cache = default!;
    private TempAuth _auth = default!;

    [SetUp]
    public void Create()
    {
        _cache = new CountingCache(new InProcessCache(_clock));
        _auth = new TempAuth("system:root:secret:.admin", 60, _cache, _clock);
    }

    private async Task<string> TokenAsync() => (await _auth.AuthenticateAsync("system:root", "secret", CancellationToken.None))!.Value.Token;

    [Test]
    public async Task A_token_found_moments_ago_is_not_asked_for_again()
    {
        var token = await TokenAsync();

        for (var i = 0; i < 5; i++)
        {
            (await _auth.ValidateAsync(token, CancellationToken.None))!.User.Should().Be("root");
        }

        _cache.Gets.Should().Be(1);
    }

    [Test]
    public async Task After_its_life_a_token_is_asked_for_again()
    {
        var token = await TokenAsync();
        await _auth.ValidateAsync(token, CancellationToken.None);

        _clock.Advance(TempAuthRecentTokens.Life);
        (await _auth.ValidateAsync(token, CancellationToken.None)).Should().NotBeNull();

        _cache.Gets.Should().Be(2);
    }

    [Test]
    public async Task A_token_the_shared_cache_lost_ends_within_the_life()
    {
        var token = await TokenAsync();
        await _auth.ValidateAsync(token, CancellationToken.None);
        await _cache.DeleteAsync("tempauth/token/" + token, CancellationToken.None);

        _clock.Advance(TempAuthRecentTokens.Life);

        (await _auth.ValidateAsync(token, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task An_expired_token_is_refused_though_found_moments_ago()
    {
        var token = await TokenAsync();
        _clock.Advance(TimeSpan.FromSeconds(59.5));
        (await _auth.ValidateAsync(token, CancellationToken.None)).Should().NotBeNull();

        _clock.Advance(TimeSpan.FromSeconds(1));

        (await _auth.ValidateAsync(token, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task A_token_not_found_is_asked_for_each_time()
    {
        (await _auth.ValidateAsync("AUTH_tk0123", CancellationToken.None)).Should().BeNull();
        (await _auth.ValidateAsync("AUTH_tk0123", CancellationToken.None)).Should().BeNull();

        _cache.Gets.Should().Be(2);
    }

    [Test]
    public async Task A_token_another_proxy_issued_is_found_at_once()
    {
        var other = new TempAuth("system:root:secret:.admin", 60, _cache, _clock);
        var token = (await other.AuthenticateAsync("system:root", "secret", CancellationToken.None))!.Value.Token;

        (await _auth.ValidateAsync(token, CancellationToken.None)).Should().NotBeNull();
    }

    private sealed class CountingCache(ISharedCache inner) : ISharedCache
    {
        public int Gets { get; private set; }

        public Task<byte[]?> GetAsync(string key, CancellationToken ct)
        {
            Gets++;
            return inner.GetAsync(key, ct);
        }

        public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken ct) => inner.SetAsync(key, value, ttl, ct);

        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
    }
}
