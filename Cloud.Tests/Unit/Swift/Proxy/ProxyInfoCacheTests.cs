using System.Net;
using Cloud.Modules.Swift.Proxy;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

public sealed class ProxyInfoCacheTests
{
    // NUnit runs every test on one instance of the fixture: each starts afresh.
    private ManualClock _clock = null!;

    private List<string> _asked = null!;

    private HttpStatusCode? _status;

    [SetUp]
    public void StartAfresh()
    {
        _clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero));
        _asked = [];
        _status = HttpStatusCode.NoContent;
    }

    private ProxyInfoCache NewCache() => new((account, container, _) =>
    {
        _asked.Add(container is null ? account : $"{account}/{container}");
        if (_status is not { } status)
        {
            return Task.FromResult<HttpResponseMessage?>(null);
        }
        var answer = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        answer.Headers.TryAddWithoutValidation("X-Container-Meta-Color", $"read {_asked.Count}");
        return Task.FromResult<HttpResponseMessage?>(answer);
    }, _clock);

    [Test]
    public async Task A_container_is_read_once_per_recheck_interval_and_each_caller_gets_its_own_copy_of_the_answer()
    {
        var cache = NewCache();

        using var first = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);
        using var second = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);
        _clock.Advance(ProxyInfoCache.Recheck - TimeSpan.FromSeconds(1));
        using var third = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);

        _asked.Should().Equal("AUTH_a/c");
        second.Should().NotBeSameAs(first);
        second!.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.Headers.GetValues("X-Container-Meta-Color").Should().Equal("read 1");
        third!.Headers.GetValues("X-Container-Meta-Color").Should().Equal("read 1");
    }

    [Test]
    public async Task An_answer_older_than_the_recheck_interval_is_read_again()
    {
        var cache = NewCache();
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();

        _clock.Advance(ProxyInfoCache.Recheck);
        using var again = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);

        _asked.Should().Equal("AUTH_a/c", "AUTH_a/c");
        again!.Headers.GetValues("X-Container-Meta-Color").Should().Equal("read 2");
    }

    [Test]
    public async Task The_proxys_own_container_write_forgets_that_container_only()
    {
        var cache = NewCache();
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();
        (await cache.ContainerAsync("AUTH_a", "d", CancellationToken.None))!.Dispose();

        cache.ForgetContainer("AUTH_a", "c");
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();
        (await cache.ContainerAsync("AUTH_a", "d", CancellationToken.None))!.Dispose();

        _asked.Should().Equal("AUTH_a/c", "AUTH_a/d", "AUTH_a/c");
    }

    [Test]
    public async Task An_account_is_kept_apart_from_its_containers_and_forgotten_on_its_own_write()
    {
        var cache = NewCache();
        (await cache.AccountAsync("AUTH_a", CancellationToken.None))!.Dispose();
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();
        (await cache.AccountAsync("AUTH_a", CancellationToken.None))!.Dispose();

        cache.ForgetAccount("AUTH_a");
        (await cache.AccountAsync("AUTH_a", CancellationToken.None))!.Dispose();
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();

        _asked.Should().Equal("AUTH_a", "AUTH_a/c", "AUTH_a");
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(null)]
    public async Task Only_a_success_is_kept(HttpStatusCode? status)
    {
        _status = status;
        var cache = NewCache();

        using var first = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);
        using var second = await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);

        _asked.Should().HaveCount(2, "a container that is missing now may be made a moment later");
        second?.StatusCode.Should().Be(status);
    }

    [Test]
    public async Task An_answer_read_while_the_container_was_written_is_not_kept()
    {
        var pending = new TaskCompletionSource<HttpResponseMessage?>();
        var reads = 0;
        var cache = new ProxyInfoCache((_, _, _) => ++reads == 1 ? pending.Task : Task.FromResult<HttpResponseMessage?>(new HttpResponseMessage(HttpStatusCode.NoContent)), _clock);

        var inFlight = cache.ContainerAsync("AUTH_a", "c", CancellationToken.None);
        cache.ForgetContainer("AUTH_a", "c");
        pending.SetResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        (await inFlight)!.Dispose();
        (await cache.ContainerAsync("AUTH_a", "c", CancellationToken.None))!.Dispose();

        reads.Should().Be(2, "the first answer may predate the write");
    }
}
