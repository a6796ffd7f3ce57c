using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>Flags shared by every bus transport.</summary>
public sealed class BusFlags
{
    /// <summary>Transport: <c>inprocess</c>, <c>amqp</c>, or empty to pick amqp when rabbit_host is set. Default: empty.</summary>
    [ConfigurationKeyName("rpc_backend")]
    [Description("Bus transport: inprocess, amqp, or empty to use amqp exactly when --rabbit_host is set.")]
    public string RpcBackend { get; set; } = "";

    /// <summary>Seconds a call waits for its reply. Default: 60.</summary>
    [ConfigurationKeyName("rpc_response_timeout")]
    [Description("Seconds a call waits for its reply before failing with a timeout.")]
    public int RpcResponseTimeout { get; set; } = 60;

    /// <summary>Messages one service handles at the same time. Default: 64.</summary>
    [ConfigurationKeyName("rpc_thread_pool_size")]
    [Description("Messages one service handles concurrently.")]
    public int RpcThreadPoolSize { get; set; } = 64;
}
