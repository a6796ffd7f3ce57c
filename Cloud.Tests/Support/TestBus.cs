using Cloud.Modules.Kernel.Bus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Tests.Support;

/// <summary>The bus pieces tests assemble: a codec that also knows the test messages, and a dispatcher.</summary>
public static class TestBus
{
    public static RpcCodec Codec { get; } = new(RpcMessageRegistry.ForCloud(typeof(TestBus).Assembly));

    /// <summary>Redelivery after a transient failure as in production, but in tens of milliseconds: tests stay cheap.</summary>
    public static RedeliveryPolicy FastRedelivery { get; } = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), 5);

    public static RpcDispatcher Dispatcher() => new(Codec, NullLogger<RpcDispatcher>.Instance, FastRedelivery);

    public static BusFlags Flags(int timeoutSeconds = 10, int castTimeoutSeconds = 10) =>
        new() { RpcResponseTimeout = timeoutSeconds, RpcCastTimeout = castTimeoutSeconds, RpcThreadPoolSize = 16 };
}
