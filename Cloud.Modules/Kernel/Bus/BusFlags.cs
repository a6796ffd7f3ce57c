using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>Flags shared by every bus transport.</summary>
public sealed class BusFlags
{
    [ConfigurationKeyName("rpc_backend")]
    [Description("Bus transport: inprocess, amqp, or empty to use amqp exactly when --rabbit_host is set.")]
    public string RpcBackend { get; set; } = "";

    [ConfigurationKeyName("rpc_response_timeout")]
    [Description("Seconds a call waits for its reply before failing with a timeout.")]
    public int RpcResponseTimeout { get; set; } = 60;

    [ConfigurationKeyName("rpc_thread_pool_size")]
    [Description("Messages one service handles concurrently.")]
    public int RpcThreadPoolSize { get; set; } = 64;
}
