using System.Text;
using System.Text.Json;
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

    [TestCase("hi", "reply_q")]
    [TestCase("<é \"quoted\" \\ \u2028 \U0001F600 &'>", null)]
    public void A_request_is_the_bytes_of_an_envelope_whose_args_were_serialised_on_their_own(string text, string? replyTo)
    {
        // The encoder writes the arguments in place; the wire must stay what serialising the envelope record gave.
        var context = TestContexts.Admin with { RemoteAddress = "10.0.0.1" };
        var message = new Echo(text);

        var body = TestBus.Codec.EncodeRequest(context, message, "m1", replyTo);

        var envelope = new RpcEnvelope("test_echo", "1.0", JsonSerializer.SerializeToElement(message, RpcCodec.Json),
            new WireContext(context.UserId, context.ProjectId, context.IsAdmin, context.Roles, context.RequestId, context.RemoteAddress), "m1", replyTo);
        Encoding.UTF8.GetString(body).Should().Be(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(envelope, RpcCodec.Json)));
        TestBus.Codec.DecodeRequest(body).Message.Should().Be(message);
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
