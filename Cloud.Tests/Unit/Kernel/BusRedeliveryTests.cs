using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.Amqp;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>
/// The bus's retry decisions: which handler failures make a cast be delivered again, after how long and how
/// often, and how fast a lost broker is tried again.
/// </summary>
public sealed class BusRedeliveryTests
{
    private static readonly RedeliveryPolicy Policy = RedeliveryPolicy.Default;

    [Test]
    public void Redelivery_backs_off_from_one_second_doubling_to_thirty_and_ends_after_about_ten_minutes()
    {
        Enumerable.Range(2, 7).Select(attempt => Policy.DelayBefore(attempt).TotalSeconds)
            .Should().Equal(1, 2, 4, 8, 16, 30, 30);
        Policy.DelayBefore(1000).Should().Be(TimeSpan.FromSeconds(30));

        var total = Enumerable.Range(2, Policy.MaxAttempts - 1).Sum(attempt => Policy.DelayBefore(attempt).TotalSeconds);
        total.Should().BeInRange(8 * 60, 12 * 60);
        Policy.MayRetryAfter(Policy.MaxAttempts - 1).Should().BeTrue();
        Policy.MayRetryAfter(Policy.MaxAttempts).Should().BeFalse();
    }

    [Test]
    public async Task A_cast_failing_because_the_bus_or_database_is_down_is_to_be_delivered_again_after_the_back_off()
    {
        var dispatcher = new RpcDispatcher(TestBus.Codec, Microsoft.Extensions.Logging.Abstractions.NullLogger<RpcDispatcher>.Instance);

        var first = await dispatcher.HandleAsync(Cast(new Flaky(1, TransientFailures: 9)), new RecordingEndpoint("e"), 1, default);
        var third = await dispatcher.HandleAsync(Cast(new Flaky(1, TransientFailures: 9)), new RecordingEndpoint("e"), 3, default);
        var database = await dispatcher.HandleAsync(Cast(new Note(1)), new ThrowingEndpoint(new DatabaseUnavailableException("db down")), 1, default);

        first.Retry.Should().BeTrue();
        first.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
        first.Reply.Should().BeNull();
        third.RetryAfter.Should().Be(TimeSpan.FromSeconds(4));
        database.Retry.Should().BeTrue();
    }

    [Test]
    public async Task A_cast_failing_transiently_on_its_last_attempt_is_given_up()
    {
        var outcome = await TestBus.Dispatcher().HandleAsync(Cast(new Flaky(1, TransientFailures: 9)), new RecordingEndpoint("e"),
            TestBus.FastRedelivery.MaxAttempts, default);

        outcome.Should().Be(RpcOutcome.None);
    }

    [Test]
    public async Task A_cast_failing_for_its_own_reasons_is_not_delivered_again()
    {
        var outcome = await TestBus.Dispatcher().HandleAsync(Cast(new Fail("bad request")), new RecordingEndpoint("e"), 1, default);

        outcome.Should().Be(RpcOutcome.None);
    }

    [Test]
    public async Task A_call_failing_transiently_answers_the_failure_to_its_caller_instead_of_retrying()
    {
        var body = TestBus.Codec.EncodeRequest(TestContexts.Admin, new Flaky(1, TransientFailures: 9), "m1", "reply_q");

        var outcome = await TestBus.Dispatcher().HandleAsync(body, new RecordingEndpoint("e"), 1, default);

        outcome.Retry.Should().BeFalse();
        outcome.ReplyTo.Should().Be("reply_q");
        RpcCodec.DecodeReply(outcome.Reply).Failure!.Type.Should().Be(nameof(BusUnavailableException));
    }

    [Test]
    public void A_lost_broker_is_tried_again_every_interval_for_a_minute_then_with_doubling_waits()
    {
        var schedule = new ReconnectSchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        schedule.Next(TimeSpan.Zero).Should().Be(TimeSpan.FromSeconds(1));
        schedule.Next(TimeSpan.FromSeconds(59)).Should().Be(TimeSpan.FromSeconds(1));
        Enumerable.Range(0, 6).Select(_ => schedule.Next(TimeSpan.FromSeconds(61)).TotalSeconds).Should().Equal(2, 4, 8, 16, 30, 30);

        schedule.Reset();
        schedule.Next(TimeSpan.FromMinutes(5)).Should().Be(TimeSpan.FromSeconds(2), "the doubling starts over from the interval");
    }

    [Test]
    public void The_attempt_count_travels_in_a_header_and_defaults_to_the_first()
    {
        var fresh = new RabbitMQ.Client.BasicProperties { MessageId = "m1", DeliveryMode = RabbitMQ.Client.DeliveryModes.Persistent };

        RedeliveryHeader.AttemptOf(fresh).Should().Be(1);
        var again = RedeliveryHeader.Next(fresh, 2);
        RedeliveryHeader.AttemptOf(again).Should().Be(2);
        again.MessageId.Should().Be("m1");
        again.DeliveryMode.Should().Be(RabbitMQ.Client.DeliveryModes.Persistent);
        RedeliveryHeader.AttemptOf(new RabbitMQ.Client.BasicProperties { Headers = new Dictionary<string, object?> { [RedeliveryHeader.Name] = 7L } }).Should().Be(7);
    }

    private static byte[] Cast(IRpcMessage message) => TestBus.Codec.EncodeRequest(TestContexts.Admin, message, Guid.NewGuid().ToString("N"), null);

    private sealed class ThrowingEndpoint(Exception error) : IRpcEndpoint
    {
        public Task<object?> DispatchAsync(Modules.Kernel.Auth.RequestContext context, IRpcMessage message, CancellationToken cancellationToken) =>
            Task.FromException<object?>(error);
    }
}
