using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Bus;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>What every bus transport must do; each harness runs the same tests.</summary>
[TestFixture(typeof(InProcessBusHarness))]
[TestFixture(typeof(AmqpBusHarness), Category = "Integration")]
public sealed class BusContractTests<THarness> where THarness : IBusHarness, new()
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private THarness _bus = default!;
    private string _topic = "";

    [SetUp]
    public async Task StartAsync()
    {
        _bus = Harness.New<THarness>();
        await _bus.StartAsync();
        // Queue names are global on a broker: a fresh topic per test keeps tests apart.
        _topic = $"t{Guid.NewGuid():N}"[..12];
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up found a service missing (ignored on a developer's machine).
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }
    }

    [Test]
    public async Task Call_returns_the_reply_and_carries_the_request_id()
    {
        await _bus.ServeAsync(_topic, "a");
        var context = TestContexts.Admin;

        var reply = await _bus.Client.CallAsync<EchoReply>(context, Topic.Shared(_topic), new Echo("hello"), Wait, default);

        reply.Text.Should().Be("hello");
        reply.RequestId.Should().Be(context.RequestId);
    }

    [Test]
    public async Task Call_on_host_topic_reaches_only_that_host()
    {
        var a = await _bus.ServeAsync(_topic, "a");
        var b = await _bus.ServeAsync(_topic, "b");

        for (var i = 0; i < 5; i++)
        {
            var reply = await _bus.Client.CallAsync<EchoReply>(TestContexts.Admin, Topic.ForHost(_topic, "b"), new Echo($"{i}"), Wait, default);
            reply.Endpoint.Should().Be(b.Name);
        }
        a.Received.Should().BeEmpty();
        b.Received.Should().HaveCount(5);
    }

    [Test]
    public async Task Casts_on_a_shared_topic_are_each_handled_by_exactly_one_consumer()
    {
        var a = await _bus.ServeAsync(_topic, "a");
        var b = await _bus.ServeAsync(_topic, "b");

        for (var i = 1; i <= 200; i++)
        {
            await _bus.Client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(i), default);
        }

        await Poller.UntilAsync(() => a.Notes.Count() + b.Notes.Count() >= 200, Wait, "200 casts handled");
        a.Notes.Concat(b.Notes).Should().BeEquivalentTo(Enumerable.Range(1, 200).Select(i => (long)i));
    }

    [Test]
    public async Task Fanout_reaches_every_consumer_of_the_topic()
    {
        var a = await _bus.ServeAsync(_topic, "a");
        var b = await _bus.ServeAsync(_topic, "b");
        var other = await _bus.ServeAsync(_topic + "x", "a");

        await _bus.Client.FanoutCastAsync(TestContexts.Admin, _topic, new Note(7), default);

        await Poller.UntilAsync(() => a.Notes.Any() && b.Notes.Any(), Wait, "fanout on both hosts");
        a.Notes.Should().Equal(7);
        b.Notes.Should().Equal(7);
        other.Received.Should().BeEmpty();
    }

    [Test]
    public async Task A_remote_failure_comes_back_as_RemoteError_with_its_type_and_message()
    {
        await _bus.ServeAsync(_topic, "a");

        var call = () => _bus.Client.CallAsync<object>(TestContexts.Admin, Topic.Shared(_topic), new Fail("disk on fire"), Wait, default);

        var error = (await call.Should().ThrowAsync<RemoteError>()).Which;
        error.Type.Should().Be(nameof(InvalidOperationException));
        error.RemoteMessage.Should().Be("disk on fire");
    }

    [TestCase(CloudErrorKind.NotFound)]
    [TestCase(CloudErrorKind.Invalid)]
    [TestCase(CloudErrorKind.Conflict)]
    public async Task A_remote_refusal_comes_back_as_the_same_CloudException(CloudErrorKind kind)
    {
        // So an API answers a host's "not found" with its 404, not a 500 for a remote error.
        await _bus.ServeAsync(_topic, "a");

        var call = () => _bus.Client.CallAsync<object>(TestContexts.Admin, Topic.Shared(_topic), new Refuse(kind, "Volume v has no export."), Wait, default);

        var error = (await call.Should().ThrowAsync<CloudException>()).Which;
        error.Kind.Should().Be(kind);
        error.Message.Should().Be("Volume v has no export.");
    }

    [Test]
    public void A_failure_from_an_endpoint_that_sends_no_kind_or_an_unknown_one_stays_a_RemoteError()
    {
        // Endpoints from before the kind was sent, or a newer one with a kind this caller does not know.
        foreach (var kind in new[] { null, "Teapot", "42" })
        {
            var reply = new RpcReply("m", null, new RpcFailure(nameof(CloudException), "no", null, kind));

            var read = () => RpcCodec.ResultOf<object>(reply);

            read.Should().Throw<RemoteError>().Which.RemoteMessage.Should().Be("no");
        }
    }

    [Test]
    public async Task A_method_the_endpoint_does_not_handle_comes_back_as_RemoteError()
    {
        await _bus.ServeAsync(_topic, "a");

        var call = () => _bus.Client.CallAsync<object>(TestContexts.Admin, Topic.Shared(_topic), new Unhandled(), Wait, default);

        (await call.Should().ThrowAsync<RemoteError>()).Which.RemoteMessage.Should().Contain("test_unhandled");
    }

    [Test]
    public async Task A_call_to_a_topic_nobody_consumes_times_out_naming_the_topic()
    {
        var call = () => _bus.Client.CallAsync<EchoReply>(TestContexts.Admin, Topic.ForHost(_topic, "nobody"), new Echo("?"), TimeSpan.FromMilliseconds(500), default);

        var error = (await call.Should().ThrowAsync<RpcTimeoutException>()).Which;
        error.Message.Should().Contain($"{_topic}.nobody").And.Contain("test_echo").And.Contain(error.MsgId);
    }

    [Test]
    public async Task A_cast_whose_handler_fails_transiently_is_delivered_again_until_it_succeeds()
    {
        var a = await _bus.ServeAsync(_topic, "a");

        await _bus.Client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Flaky(1, TransientFailures: 2), default);
        await _bus.Client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Flaky(2, TransientFailures: 0), default);

        await Poller.UntilAsync(() => a.FlakyAttempts(1) == 3, Wait, "the flaky cast to be handled a third time");
        await Poller.UntilAsync(() => a.FlakyAttempts(2) == 1, Wait, "the good cast to be handled");
    }

    [Test]
    public async Task A_cast_that_keeps_failing_transiently_is_given_up_after_the_last_attempt()
    {
        var a = await _bus.ServeAsync(_topic, "a");
        var attempts = TestBus.FastRedelivery.MaxAttempts;

        await _bus.Client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Flaky(1, TransientFailures: int.MaxValue), default);
        await Poller.UntilAsync(() => a.FlakyAttempts(1) == attempts, Wait, $"{attempts} attempts");

        // Given up, not redelivered forever: a later cast on the same queue is the next thing handled.
        await _bus.Client.CastAsync(TestContexts.Admin, Topic.Shared(_topic), new Note(9), default);
        await Poller.UntilAsync(() => a.Notes.Contains(9), Wait, "the next cast");
        a.FlakyAttempts(1).Should().Be(attempts);
    }

    [Test]
    public async Task Concurrent_calls_each_get_their_own_reply()
    {
        await _bus.ServeAsync(_topic, "a");
        await _bus.ServeAsync(_topic, "b");

        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            _bus.Client.CallAsync<EchoReply>(TestContexts.Admin, Topic.Shared(_topic), new Echo($"n{i}"), Wait, default)));

        replies.Select(r => r.Text).Should().BeEquivalentTo(Enumerable.Range(0, 100).Select(i => $"n{i}"));
    }

    [Test]
    public async Task Stopping_a_consumer_finishes_the_message_it_is_handling()
    {
        var a = await _bus.ServeAsync(_topic, "a");
        var slow = _bus.Client.CallAsync<string>(TestContexts.Admin, Topic.Shared(_topic), new Slow(500), Wait, default);
        await Poller.UntilAsync(() => a.Received.Count == 1, Wait, "the slow call to arrive");

        await _bus.StopServingAsync(a);

        a.FinishedSlow.Should().Be(1);
        (await slow).Should().Be("slow done");
    }
}
