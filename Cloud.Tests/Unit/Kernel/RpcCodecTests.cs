using System.Text;
using Cloud.Modules.Kernel.Bus;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class RpcCodecTests
{
    [Test]
    public void A_request_round_trips_with_nova_envelope_fields_and_the_context()
    {
        var context = TestContexts.Admin;
        var body = TestBus.Codec.EncodeRequest(context, new Echo("hi"), "m1", "reply_q");

        var json = Encoding.UTF8.GetString(body);
        json.Should().Contain("\"method\":\"test_echo\"").And.Contain("\"msg_id\":\"m1\"").And.Contain("\"reply_to\":\"reply_q\"")
            .And.Contain("\"args\":{\"text\":\"hi\"}").And.Contain("\"version\":\"1.0\"");
        var decoded = TestBus.Codec.DecodeRequest(body);
        decoded.Message.Should().Be(new Echo("hi"));
        decoded.Context.Should().BeEquivalentTo(context);
    }

    [TestCase("not json at all", "not an RPC envelope")]
    [TestCase("{\"method\":\"no_such_method\",\"args\":{},\"context\":{\"roles\":[]},\"msg_id\":\"m\"}", "Unsupported RPC method 'no_such_method'")]
    [TestCase("{\"method\":\"test_note\",\"args\":{\"sequence\":\"many\"},\"context\":{\"roles\":[]},\"msg_id\":\"m\"}", "bad arguments for 'test_note'")]
    [TestCase("{\"args\":{}}", "method or context missing")]
    public void A_malformed_request_is_refused_with_a_reason(string body, string reason) =>
        ((Action)(() => TestBus.Codec.DecodeRequest(Encoding.UTF8.GetBytes(body)))).Should().Throw<RpcDecodeException>()
            .Which.Message.Should().Contain(reason);

    [Test]
    public async Task A_malformed_call_is_answered_with_a_failure_instead_of_being_lost()
    {
        var body = Encoding.UTF8.GetBytes("{\"method\":\"no_such_method\",\"args\":{},\"context\":{\"roles\":[]},\"msg_id\":\"m9\",\"reply_to\":\"q\"}");

        var outcome = await TestBus.Dispatcher().HandleAsync(body, new RecordingEndpoint("e"), 1, default);

        outcome.ReplyTo.Should().Be("q");
        var reply = RpcCodec.DecodeReply(outcome.Reply);
        reply.MsgId.Should().Be("m9");
        reply.Failure!.Type.Should().Be(nameof(UnknownRpcMethodException));
    }

    [Test]
    public async Task A_malformed_cast_is_dropped_without_touching_the_endpoint()
    {
        var endpoint = new RecordingEndpoint("e");

        var outcome = await TestBus.Dispatcher().HandleAsync(Encoding.UTF8.GetBytes("{garbage"), endpoint, 1, default);

        outcome.Reply.Should().BeNull();
        endpoint.Received.Should().BeEmpty();
    }
}
