using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>RabbitMQ connection flags (nova's names). The bus uses RabbitMQ exactly when <c>rabbit_host</c> is set.</summary>
public sealed class AmqpFlags : IValidatedFlags
{
    [ConfigurationKeyName("rabbit_host")]
    [Description("RabbitMQ host. Empty: roles talk over the in-process bus (one process only).")]
    public string RabbitHost { get; set; } = "";

    [ConfigurationKeyName("rabbit_port")]
    [Description("RabbitMQ port.")]
    public int RabbitPort { get; set; } = 5672;

    [ConfigurationKeyName("rabbit_userid")]
    [Description("RabbitMQ user.")]
    public string RabbitUserId { get; set; } = "guest";

    [ConfigurationKeyName("rabbit_password")]
    [Description("RabbitMQ password.")]
    [Secret]
    public string RabbitPassword { get; set; } = "guest";

    [ConfigurationKeyName("rabbit_virtual_host")]
    [Description("RabbitMQ virtual host.")]
    public string RabbitVirtualHost { get; set; } = "/";

    [ConfigurationKeyName("rabbit_retry_interval")]
    [Description("Seconds between reconnect attempts for the first minute of an outage; after that the wait doubles up to --rabbit_retry_max.")]
    public int RabbitRetryInterval { get; set; } = 1;

    [ConfigurationKeyName("rabbit_retry_max")]
    [Description("Longest wait between reconnect attempts once an outage has lasted a minute, in seconds.")]
    public int RabbitRetryMax { get; set; } = 30;

    [ConfigurationKeyName("control_exchange")]
    [Description("Name of the topic exchange all roles publish to.")]
    public string ControlExchange { get; set; } = "nova";

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.RequirePort("rabbit_port", RabbitPort);
        FlagError.Require(RabbitRetryInterval >= 1, "rabbit_retry_interval", RabbitRetryInterval, "must be at least 1 second");
        FlagError.Require(RabbitRetryMax >= RabbitRetryInterval, "rabbit_retry_max", RabbitRetryMax, $"must be at least --rabbit_retry_interval={RabbitRetryInterval}");
        FlagError.Require(ControlExchange.Trim().Length > 0, "control_exchange", ControlExchange, "must name an exchange");
    }
}
