using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>Flags shared by every bus transport.</summary>
public sealed class BusFlags : IValidatedFlags
{
    [ConfigurationKeyName("rpc_backend")]
    [Description("Bus transport: inprocess, amqp, or empty to use amqp exactly when --rabbit_host is set.")]
    public string RpcBackend { get; set; } = "";

    [ConfigurationKeyName("rpc_response_timeout")]
    [Description("Seconds a call waits for its reply before failing with a timeout.")]
    public int RpcResponseTimeout { get; set; } = 60;

    [ConfigurationKeyName("rpc_cast_timeout")]
    [Description("Seconds a cast or fanout waits for the message bus to take it before failing as unavailable.")]
    public int RpcCastTimeout { get; set; } = 10;

    [ConfigurationKeyName("rpc_thread_pool_size")]
    [Description("Messages one service handles concurrently.")]
    public int RpcThreadPoolSize { get; set; } = 64;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(RpcBackend.Trim().ToLowerInvariant() is "" or "inprocess" or "amqp", "rpc_backend", RpcBackend, "use inprocess or amqp");
        FlagError.Require(RpcResponseTimeout >= 1, "rpc_response_timeout", RpcResponseTimeout, "must be at least 1 second");
        FlagError.Require(RpcCastTimeout >= 1, "rpc_cast_timeout", RpcCastTimeout, "must be at least 1 second");
        FlagError.Require(RpcThreadPoolSize >= 1, "rpc_thread_pool_size", RpcThreadPoolSize, "must be at least 1");
    }
}
