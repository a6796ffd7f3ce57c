using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.Amqp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Cloud.Tests.Support;

/// <summary>
/// The RabbitMQ bus under the contract tests (CLOUD_TEST_AMQP). Each served endpoint gets its own bus, and so
/// its own connection and reply queue, as a separate service process would. Everything runs under a fresh
/// control exchange, and what was declared is deleted afterwards.
/// </summary>
public sealed class AmqpBusHarness : IBusHarness
{
    private readonly Dictionary<RecordingEndpoint, (AmqpBus Bus, IAsyncDisposable Serving)> _served = [];
    private readonly HashSet<string> _topics = [];
    private readonly HashSet<string> _hostQueues = [];
    private AmqpBus? _client;

    public AmqpFlags Flags { get; private set; } = new();

    public IRpcBus Client => _client ?? throw new InvalidOperationException("StartAsync first");

    public async Task StartAsync()
    {
        Flags = FlagsFor(TestEnv.Amqp);
        _client = NewBus(Flags);
        // Until it has connected a new bus is rightly "unavailable"; the contract is about a bus that is up.
        await Poller.UntilAsync(() => _client.IsConnected, TimeSpan.FromSeconds(30), "the client bus to connect");
    }

    public async Task<RecordingEndpoint> ServeAsync(string topic, string host)
    {
        var endpoint = new RecordingEndpoint($"{topic}.{host}#{_served.Count}");
        _topics.Add(topic);
        _hostQueues.Add(Topic.ForHost(topic, host).RoutingKey);
        var bus = NewBus(Flags);
        _served[endpoint] = (bus, await bus.ServeAsync(topic, host, endpoint, CancellationToken.None));
        return endpoint;
    }

    public async Task StopServingAsync(RecordingEndpoint endpoint)
    {
        var (bus, serving) = _served[endpoint];
        await serving.DisposeAsync();
        await bus.DisposeAsync();
        _served.Remove(endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in _served.Keys.ToList())
        {
            await StopServingAsync(endpoint);
        }
        if (_client is not null)
        {
            await _client.DisposeAsync();
            await DeleteTopologyAsync(Flags, _topics, _hostQueues);
        }
    }

    /// <summary>Flags for the broker at <paramref name="amqp"/>, with a control exchange of their own.</summary>
    public static AmqpFlags FlagsFor(Uri amqp, int? port = null)
    {
        var user = amqp.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/'));
        return new AmqpFlags
        {
            RabbitHost = amqp.Host,
            RabbitPort = port ?? (amqp.IsDefaultPort ? 5672 : amqp.Port),
            RabbitUserId = Uri.UnescapeDataString(user[0]),
            RabbitPassword = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "",
            RabbitVirtualHost = vhost.Length == 0 ? "/" : vhost,
            RabbitRetryInterval = 1,
            RabbitRetryMax = 2,
            ControlExchange = $"test_{Guid.NewGuid():N}",
        };
    }

    public static AmqpBus NewBus(AmqpFlags flags, ILogger<AmqpBus>? log = null, BusFlags? bus = null) =>
        new(flags, bus ?? TestBus.Flags(), TestBus.Codec, TestBus.Dispatcher(), log ?? NullLogger<AmqpBus>.Instance);

    /// <summary>
    /// Deletes the durable queues and the exchanges tests leave on the shared broker: <c>topic</c>,
    /// the given host queues, <c>topic_fanout</c> and the control exchange.
    /// </summary>
    public static async Task DeleteTopologyAsync(AmqpFlags flags, IEnumerable<string> topics, IEnumerable<string> hostQueues)
    {
        var factory = new ConnectionFactory
        {
            HostName = flags.RabbitHost,
            Port = flags.RabbitPort,
            UserName = flags.RabbitUserId,
            Password = flags.RabbitPassword,
            VirtualHost = flags.RabbitVirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var topic in topics)
        {
            await channel.QueueDeleteAsync(AmqpTopology.QueueName(flags.ControlExchange, topic), ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(Topic.Shared(topic).FanoutExchange, ifUnused: false);
        }
        foreach (var queue in hostQueues)
        {
            await channel.QueueDeleteAsync(AmqpTopology.QueueName(flags.ControlExchange, queue), ifUnused: false, ifEmpty: false);
        }
        await channel.ExchangeDeleteAsync(flags.ControlExchange, ifUnused: false);
    }
}
