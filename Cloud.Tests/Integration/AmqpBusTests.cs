using System.Collections.Concurrent;
using System.Diagnostics;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.Amqp;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Cloud.Tests.Integration;

/// <summary>
/// What only the RabbitMQ bus has to get right: its topology, connecting late, surviving a broker restart
/// without losing casts, and at-least-once delivery. The shared semantics are in BusContractTests.
/// </summary>
[Category("Integration")]
public sealed class AmqpBusTests
{
    private const string UnreachableFormat = "AMQP server on {Host}:{Port} is unreachable. Trying again in {Seconds} seconds.";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Reconnected = TimeSpan.FromSeconds(20);
    private readonly HashSet<string> _topics = [];
    private readonly HashSet<string> _hostQueues = [];
    private AmqpFlags? _flags;
    private string _topic = "";

    [SetUp]
    public void NewTopic()
    {
        _topic = $"t{Guid.NewGuid():N}"[..12];
        _topics.Add(_topic);
    }

    [TearDown]
    public async Task DeleteTopologyAsync()
    {
        if (_flags is not null)
        {
            await AmqpBusHarness.DeleteTopologyAsync(_flags, _topics, _hostQueues);
        }
        _topics.Clear();
        _hostQueues.Clear();
        _flags = null;
    }

    /// <summary>The test broker (ignored, or failed under CLOUD_TEST_REQUIRE=1, when CLOUD_TEST_AMQP is unset).</summary>
    private AmqpFlags Broker() => _flags ??= AmqpBusHarness.FlagsFor(TestEnv.Amqp);

    [Test]
    public async Task The_topology_is_novas_and_casts_wait_persistently_in_a_durable_queue()
    {
        var flags = Broker();
        _hostQueues.Add($"{_topic}.h1");
        await using var bus = AmqpBusHarness.NewBus(flags);
        await using var serving = await bus.ServeAsync(_topic, "h1", new RecordingEndpoint("h1"), default);
        await using var connection = await Factory(flags).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // A re-declaration succeeds only with the arguments the queue or exchange already has (else 406).
        await channel.ExchangeDeclareAsync(flags.ControlExchange, ExchangeType.Topic, durable: true, autoDelete: false);
        (await channel.QueueDeclareAsync(AmqpTopology.QueueName(flags.ControlExchange, _topic), durable: true, exclusive: false, autoDelete: false)).ConsumerCount.Should().Be(1);
        (await channel.QueueDeclareAsync(AmqpTopology.QueueName(flags.ControlExchange, $"{_topic}.h1"), durable: true, exclusive: false, autoDelete: false)).ConsumerCount.Should().Be(1);
        await channel.ExchangeDeclareAsync($"{_topic}_fanout", ExchangeType.Fanout, durable: false, autoDelete: false);

        // A shared topic nobody serves yet: the cast waits in its queue, persistent, as the JSON envelope.
        var later = _topic + "l";
        _topics.Add(later);
        await bus.CastAsync(TestContexts.Admin, Topic.Shared(later), new Note(5), default);
        var waiting = await channel.BasicGetAsync(AmqpTopology.QueueName(flags.ControlExchange, later), autoAck: true);
        waiting.Should().NotBeNull();
        waiting!.BasicProperties.DeliveryMode.Should().Be(DeliveryModes.Persistent);
        waiting.BasicProperties.ContentType.Should().Be("application/json");
        TestBus.Codec.DecodeRequest(waiting.Body.Span).Message.Should().Be(new Note(5));

        // The reply queue belongs to the bus's connection alone: another connection may not even look at it.
        var peek = () => channel.QueueDeclarePassiveAsync(bus.ReplyQueue);
        (await peek.Should().ThrowAsync<OperationInterruptedException>()).Which.ShutdownReason!.ReplyCode.Should().Be(405);
    }

    [Test]
    public async Task An_unreachable_broker_is_logged_and_retried_with_back_off_until_it_is_there()
    {
        var amqp = TestEnv.Amqp;
        var flags = Broker();
        var port = FreePort.Next();
        var late = AmqpBusHarness.FlagsFor(amqp, port);
        late.RabbitHost = "127.0.0.1";
        late.ControlExchange = flags.ControlExchange;
        var log = new CapturingLogger<AmqpBus>();

        // Constructing the bus must not wait for the broker: the cast below is still pending afterwards.
        var bus = AmqpBusHarness.NewBus(late, log);
        TcpForwarder? forwarder = null;
        try
        {
            string Unreachable(int seconds) => $"AMQP server on 127.0.0.1:{port} is unreachable. Trying again in {seconds} seconds.";
            var cast = bus.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(1), default);

            // Every rabbit_retry_interval=1 s for the first minute, so a broker that comes back is found at once.
            await Poller.UntilAsync(() => log.Count(LogLevel.Error, Unreachable(1)) >= 3, Wait, "three failed attempts");
            log.Entries.Where(e => e.Level == LogLevel.Error).Take(3).Select(e => e.Message)
                .Should().Equal(Unreachable(1), Unreachable(1), Unreachable(1));
            var first = log.Entries.First(e => e.Level == LogLevel.Error);
            first.Properties["{OriginalFormat}"].Should().Be(UnreachableFormat);
            first.Properties["Port"].Should().Be(port);
            cast.IsCompleted.Should().BeFalse("a cast waits for the broker");

            forwarder = TcpForwarder.Start(port, amqp.Host, amqp.Port);

            await cast.WaitAsync(Wait);
            log.Has(LogLevel.Information, $"Connected to AMQP server on 127.0.0.1:{port}").Should().BeTrue(log.ToString());
            var endpoint = new RecordingEndpoint("late");
            await using var serving = await bus.ServeAsync(_topic, "a", endpoint, default);
            _hostQueues.Add($"{_topic}.a");
            await Poller.UntilAsync(() => endpoint.Notes.Contains(1), Wait, "the cast sent before the broker was reachable");
            (await bus.CallAsync<EchoReply>(TestContexts.Admin, Topic.Shared(_topic), new Echo("hi"), Wait, default)).Text.Should().Be("hi");
        }
        finally
        {
            await bus.DisposeAsync();
            if (forwarder is not null)
            {
                await forwarder.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Without_a_broker_calls_and_casts_fail_as_bus_unavailable_casts_cancel_and_dispose_returns()
    {
        var port = FreePort.Next();
        var flags = AmqpBusHarness.FlagsFor(new Uri("amqp://guest:guest@127.0.0.1/"), port);
        var bus = AmqpBusHarness.NewBus(flags, bus: TestBus.Flags(castTimeoutSeconds: 1));
        bus.IsConnected.Should().BeFalse();

        var call = () => bus.CallAsync<EchoReply>(TestContexts.Admin, Topic.ForHost(_topic, "h"), new Echo("?"), TimeSpan.FromMilliseconds(500), default);
        (await call.Should().ThrowAsync<BusUnavailableException>()).Which.Message
            .Should().Be($"the message bus (RabbitMQ at 127.0.0.1:{port}) did not take 'test_echo' within 0.5 s");

        // Bounded by rpc_cast_timeout, not by the broker coming back.
        var waitingCast = () => bus.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(1), default);
        (await waitingCast.Should().ThrowAsync<BusUnavailableException>()).Which.Message
            .Should().Be($"the message bus (RabbitMQ at 127.0.0.1:{port}) did not take 'test_note' within 1 s");
        var fanout = () => bus.FanoutCastAsync(TestContexts.Admin, _topic, new Note(1), default);
        await fanout.Should().ThrowAsync<BusUnavailableException>();

        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var cast = () => bus.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(1), soon.Token);
        await cast.Should().ThrowAsync<OperationCanceledException>();

        await bus.DisposeAsync().AsTask().WaitAsync(Wait);
        var afterwards = () => bus.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(2), default);
        await afterwards.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Test]
    public async Task A_message_being_handled_when_its_connection_is_cut_is_handled_again_by_another_service()
    {
        var amqp = TestEnv.Amqp;
        var flags = Broker();
        _hostQueues.UnionWith([$"{_topic}.a", $"{_topic}.b"]);
        await using var forwarder = TcpForwarder.Start(0, amqp.Host, amqp.Port);
        var cut = AmqpBusHarness.FlagsFor(amqp, forwarder.Port);
        cut.RabbitHost = "127.0.0.1";
        cut.ControlExchange = flags.ControlExchange;
        await using var client = AmqpBusHarness.NewBus(flags);
        await using var serviceA = AmqpBusHarness.NewBus(cut);
        var a = new RecordingEndpoint("a");
        await using var servingA = await serviceA.ServeAsync(_topic, "a", a, default);

        await client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Slow(2000), default);
        await Poller.UntilAsync(() => a.Received.Count == 1, Wait, "a to start handling the message");
        await using var serviceB = AmqpBusHarness.NewBus(flags);
        var b = new RecordingEndpoint("b");
        await using var servingB = await serviceB.ServeAsync(_topic, "b", b, default);
        await forwarder.DisposeAsync();

        // a never acknowledged it, so the broker hands it to b as soon as a's connection is gone.
        await Poller.UntilAsync(() => b.Received.OfType<Slow>().Any(), Wait, "the unacknowledged message to reach b");
    }

    [Test]
    public async Task Casts_sent_while_RabbitMQ_restarts_are_all_delivered_and_calls_work_afterwards()
    {
        var flags = Broker();
        var restart = TestEnv.AmqpRestartCommand;
        _hostQueues.Add($"{_topic}.a");
        var log = new CapturingLogger<AmqpBus>();
        // Casts may wait as long as the restart takes: this test is about none being lost.
        await using var client = AmqpBusHarness.NewBus(flags, log, TestBus.Flags(castTimeoutSeconds: 300));
        await using var service = AmqpBusHarness.NewBus(flags);
        var endpoint = new RecordingEndpoint("a");
        await using var serving = await service.ServeAsync(_topic, "a", endpoint, default);

        long attempted = 0;
        var confirmed = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var casters = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sequence = Interlocked.Increment(ref attempted);
                // No token: every cast started must finish, however long the broker is away.
                await client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(sequence), CancellationToken.None);
                confirmed.Enqueue(sequence);
            }
        })).ToArray();

        await Poller.UntilAsync(() => endpoint.Notes.Count() >= 200, Wait, "casts flowing before the restart");
        var (exitCode, output) = await RunShellAsync(restart, TimeSpan.FromMinutes(3));
        exitCode.Should().Be(0, output);
        var beforeReconnect = confirmed.Count;
        await Poller.UntilAsync(() => confirmed.Count >= beforeReconnect + 200, Wait, "casts confirmed after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(casters).WaitAsync(Wait);

        confirmed.Should().HaveCount((int)Interlocked.Read(ref attempted), "every cast returns only once confirmed");
        var sent = confirmed.ToHashSet();
        await Poller.UntilAsync(() => sent.IsSubsetOf(endpoint.Notes), Wait,
            $"all {sent.Count} casts to be handled (missing: {string.Join(',', sent.Except(endpoint.Notes).Take(20))})");
        var reply = await client.CallAsync<EchoReply>(TestContexts.Admin, Topic.Shared(_topic), new Echo("after"), Wait, default);
        reply.Text.Should().Be("after");

        var broker = $"{flags.RabbitHost}:{flags.RabbitPort}";
        log.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.StartsWith($"AMQP server on {broker} is unreachable. Trying again in "), log.ToString());
        log.Count(LogLevel.Information, $"Connected to AMQP server on {broker}").Should().BeGreaterThanOrEqualTo(2);
        TestContext.Out.WriteLine($"{sent.Count} casts, {endpoint.Notes.Count() - sent.Count} duplicates; restart: {output.Trim()}");
    }

    [Test]
    public async Task A_handler_casting_while_its_connection_is_down_does_not_wedge_the_reconnect()
    {
        // The service's connection goes through a forwarder the test cuts and restores: to the service that is a
        // broker restart, in a second instead of a minute (the restart itself is the test below).
        var amqp = TestEnv.Amqp;
        var flags = Broker();
        var target = _topic + "r";
        _topics.Add(target);
        _hostQueues.UnionWith([$"{_topic}.a", $"{target}.b"]);
        var port = FreePort.Next();
        var forwarder = TcpForwarder.Start(port, amqp.Host, amqp.Port);
        var cut = AmqpBusHarness.FlagsFor(amqp, port);
        cut.RabbitHost = "127.0.0.1";
        cut.ControlExchange = flags.ControlExchange;
        await using var client = AmqpBusHarness.NewBus(flags);
        await using var receiver = AmqpBusHarness.NewBus(flags);
        var received = new RecordingEndpoint("b");
        await using var receiving = await receiver.ServeAsync(target, "b", received, default);
        // The relay's cast may wait as long as the outage lasts: it is to be blocked casting through the reconnect.
        await using var service = AmqpBusHarness.NewBus(cut, bus: TestBus.Flags(castTimeoutSeconds: 300));
        var relay = new RelayEndpoint(service, Topic.Shared(target));
        await using var relaying = await service.ServeAsync(_topic, "a", relay, default);
        try
        {
            service.IsConnected.Should().BeTrue();
            await client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(1), default);
            await relay.Started.WaitAsync(Wait);

            await forwarder.DisposeAsync();
            await Poller.UntilAsync(() => !service.IsConnected, Wait, "the service to notice its connection is gone");
            // The handler casts with no connection, so it waits for the reconnect, on the dead connection's channel.
            relay.Release();
            forwarder = TcpForwarder.Start(port, amqp.Host, amqp.Port);

            // Takes about a second; wedged (the handler waiting for the reconnect, the reconnect for the handler) it
            // took about 30 s on the code before the fix, hence this bound, generous yet short of that.
            await Poller.UntilAsync(() => received.Notes.Contains(1), Reconnected, "the cast made during the outage to arrive");
            await Poller.UntilAsync(() => service.IsConnected, Reconnected, "the service to restore its consumers");
            await client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(2), default);
            await Poller.UntilAsync(() => received.Notes.Contains(2), Wait, "a cast relayed after the reconnect");
            // While the forwarder is still there, so that leaving the broker is not a wait on a dead connection.
            await relaying.DisposeAsync();
            await service.DisposeAsync();
        }
        finally
        {
            await forwarder.DisposeAsync();
        }
    }

    /// <summary>Casts each note on to another topic, once released (the first note waits for that).</summary>
    private sealed class RelayEndpoint(IRpcBus bus, Topic target) : IRpcEndpoint
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _released.TrySetResult();

        public async Task<object?> DispatchAsync(Modules.Kernel.Auth.RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
        {
            var note = (Note)message;
            _started.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            await bus.CastAsync(context, target, note, cancellationToken);
            return null;
        }
    }

    private static ConnectionFactory Factory(AmqpFlags flags) => new()
    {
        HostName = flags.RabbitHost,
        Port = flags.RabbitPort,
        UserName = flags.RabbitUserId,
        Password = flags.RabbitPassword,
        VirtualHost = flags.RabbitVirtualHost,
    };

    private static async Task<(int ExitCode, string Output)> RunShellAsync(string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
