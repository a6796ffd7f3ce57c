using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.InProcess;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Service;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// What a running service writes about itself: heartbeats only while it is on the bus (a role the broker cannot
/// reach must show down, not up), and "stopped" when it stops cleanly, so nothing waits service_down_time for it.
/// </summary>
public sealed class ServiceLivenessTests
{
    private SqliteHarness _db = null!;
    private ServiceGroup _services = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _db = new SqliteHarness();
        await new MigrationRunner(_db.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        _services = new ServiceGroup(_db.Db, Options.Create(new CommonFlags { ReportInterval = 1, ServiceDownTime = 5 }), TimeProvider.System);
    }

    [TearDown]
    public async Task DropAsync() => await _db.DisposeAsync();

    [Test]
    public async Task A_service_off_the_bus_stops_heartbeating_and_one_that_stops_is_marked_stopped()
    {
        await using var bus = new SwitchableBus();
        var host = new RpcServiceHost("scheduler", new IdleManager(), bus, _services,
            Options.Create(new CommonFlags { Host = "ares", ReportInterval = 1, ServiceDownTime = 5 }), NullLogger<RpcServiceHost>.Instance);
        await host.StartAsync(default);
        try
        {
            await Poller.UntilAsync(async () => (await RowAsync())?.ReportCount >= 2, TimeSpan.FromSeconds(30), "two heartbeats");

            bus.Connected = false;
            // One tick may already have passed the check; after it, the count must stand still.
            var before = (await RowAsync())!.ReportCount;
            await Poller.UntilAsync(async () => (await RowAsync())!.ReportCount <= before + 1, TimeSpan.FromSeconds(30), "heartbeats to pause");
            var paused = (await RowAsync())!.ReportCount;
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            (await RowAsync())!.ReportCount.Should().BeLessThanOrEqualTo(paused + 1, "no heartbeat is written while off the bus");

            bus.Connected = true;
            var resumedFrom = (await RowAsync())!.ReportCount;
            await Poller.UntilAsync(async () => (await RowAsync())!.ReportCount > resumedFrom + 1, TimeSpan.FromSeconds(30), "heartbeats to resume");
        }
        finally
        {
            await host.StopAsync(default);
        }

        var stopped = (await RowAsync())!;
        stopped.Stopped.Should().BeTrue();
        _services.IsUp(stopped).Should().BeFalse();
    }

    private async Task<ServiceRecord?> RowAsync() => (await _services.ListAsync(default)).SingleOrDefault();

    /// <summary>The in-process bus whose connection a test can take away, as a broker outage would.</summary>
    private sealed class SwitchableBus : IRpcBus
    {
        private readonly InProcessBus _inner = new(TestBus.Codec, TestBus.Dispatcher(), Options.Create(TestBus.Flags()));

        public bool Connected { get; set; } = true;

        public bool IsConnected => Connected;

        public Task<TReply> CallAsync<TReply>(RequestContext context, Topic topic, IRpcMessage message, TimeSpan? timeout, CancellationToken cancellationToken) =>
            _inner.CallAsync<TReply>(context, topic, message, timeout, cancellationToken);

        public Task CastAsync(RequestContext context, Topic topic, IRpcMessage message, CancellationToken cancellationToken) =>
            _inner.CastAsync(context, topic, message, cancellationToken);

        public Task CastEncodedAsync(Topic topic, string method, string msgId, byte[] body, CancellationToken cancellationToken) =>
            _inner.CastEncodedAsync(topic, method, msgId, body, cancellationToken);

        public Task FanoutCastAsync(RequestContext context, string topic, IRpcMessage message, CancellationToken cancellationToken) =>
            _inner.FanoutCastAsync(context, topic, message, cancellationToken);

        public Task<IAsyncDisposable> ServeAsync(string topic, string host, IRpcEndpoint endpoint, CancellationToken cancellationToken) =>
            _inner.ServeAsync(topic, host, endpoint, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
