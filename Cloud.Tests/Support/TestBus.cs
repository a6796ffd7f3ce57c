using Cloud.Modules.Kernel.Bus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Tests.Support;

/// <summary>The bus pieces tests assemble: a codec that also knows the test messages, and a dispatcher.</summary>
public static class TestBus
{
    public static RpcCodec Codec { get; } = new(RpcMessageRegistry.ForCloud(typeof(TestBus).Assembly));

    public static RpcDispatcher Dispatcher() => new(Codec, NullLogger<RpcDispatcher>.Instance);

    public static BusFlags Flags(int timeoutSeconds = 10) => new() { RpcResponseTimeout = timeoutSeconds, RpcThreadPoolSize = 16 };
}
