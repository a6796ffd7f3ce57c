using Cloud.Modules.Kernel.Bus.Amqp;
using Cloud.Modules.Kernel.Bus.InProcess;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>Picks the transport: <c>--rpc_backend</c> if set, else RabbitMQ exactly when <c>--rabbit_host</c> is set.</summary>
public static class BusFactory
{
    public static IRpcBus Create(IServiceProvider services)
    {
        var bus = services.GetRequiredService<IOptions<BusFlags>>();
        var amqp = services.GetRequiredService<IOptions<AmqpFlags>>().Value;
        bus.Value.Validate();
        var backend = bus.Value.RpcBackend.Trim().ToLowerInvariant() switch
        {
            "" => string.IsNullOrWhiteSpace(amqp.RabbitHost) ? "inprocess" : "amqp",
            var b => b,
        };
        var codec = services.GetRequiredService<RpcCodec>();
        var dispatcher = services.GetRequiredService<RpcDispatcher>();
        return backend switch
        {
            "inprocess" => new InProcessBus(codec, dispatcher, bus),
            "amqp" when string.IsNullOrWhiteSpace(amqp.RabbitHost) => throw FlagError.Of("--rpc_backend=amqp needs --rabbit_host"),
            _ => new AmqpBus(amqp, bus.Value, codec, dispatcher, services.GetRequiredService<ILogger<AmqpBus>>()),
        };
    }
}
