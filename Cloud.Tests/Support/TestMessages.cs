using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Tests.Support;

/// <summary>Asks the test endpoint to answer with its own name and the text it was sent.</summary>
[RpcMethod("test_echo")]
public sealed record Echo(string Text) : IRpcMessage;

/// <summary>The answer to <see cref="Echo"/>.</summary>
public sealed record EchoReply(string Endpoint, string Text, string? RequestId);

/// <summary>Makes the test endpoint throw with this message.</summary>
[RpcMethod("test_fail")]
public sealed record Fail(string Message) : IRpcMessage;

/// <summary>Makes the test endpoint refuse the request as a module does: a <see cref="Cloud.Modules.Kernel.CloudException"/> of this kind.</summary>
[RpcMethod("test_refuse")]
public sealed record Refuse(Cloud.Modules.Kernel.CloudErrorKind Kind, string Message) : IRpcMessage;

/// <summary>A numbered cast the test endpoint records.</summary>
[RpcMethod("test_note")]
public sealed record Note(long Sequence) : IRpcMessage;

/// <summary>Makes the test endpoint wait before answering (for timeouts and draining).</summary>
[RpcMethod("test_slow")]
public sealed record Slow(int Milliseconds) : IRpcMessage;

/// <summary>
/// A numbered cast whose handling fails as if the message bus were down for its first <paramref name="TransientFailures"/>
/// attempts (for redelivery after transient failures).
/// </summary>
[RpcMethod("test_flaky")]
public sealed record Flaky(long Sequence, int TransientFailures) : IRpcMessage;

/// <summary>A message no endpoint handles.</summary>
[RpcMethod("test_unhandled")]
public sealed record Unhandled : IRpcMessage;

/// <summary>An endpoint that records what it receives.</summary>
public sealed class RecordingEndpoint(string name) : IRpcEndpoint
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<IRpcMessage> _received = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _flakyAttempts = new();
    private int _finishedSlow;

    public string Name { get; } = name;

    public IReadOnlyCollection<IRpcMessage> Received => _received;

    public IEnumerable<long> Notes => _received.OfType<Note>().Select(n => n.Sequence);

    public int FinishedSlow => Volatile.Read(ref _finishedSlow);

    /// <summary>How many times <see cref="Flaky"/> number <paramref name="sequence"/> was handled, failed attempts included.</summary>
    public int FlakyAttempts(long sequence) => _flakyAttempts.GetValueOrDefault(sequence);

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        _received.Enqueue(message);
        switch (message)
        {
            case Echo e:
                return new EchoReply(Name, e.Text, context.RequestId);
            case Fail f:
                throw new InvalidOperationException(f.Message);
            case Refuse r:
                throw new Cloud.Modules.Kernel.CloudException(r.Kind, r.Message);
            case Note:
                return null;
            case Flaky f:
                if (_flakyAttempts.AddOrUpdate(f.Sequence, 1, (_, n) => n + 1) <= f.TransientFailures)
                {
                    throw new BusUnavailableException($"test: flaky {f.Sequence} fails transiently");
                }
                return null;
            case Slow s:
                await Task.Delay(s.Milliseconds, CancellationToken.None);
                Interlocked.Increment(ref _finishedSlow);
                return "slow done";
            default:
                throw new UnknownRpcMethodException(message);
        }
    }
}

/// <summary>Request contexts for tests.</summary>
public static class TestContexts
{
    public static RequestContext Admin => new("admin", "admin-project", true, ["admin"], RequestContext.NewRequestId());
}
