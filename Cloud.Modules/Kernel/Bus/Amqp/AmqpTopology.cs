using RabbitMQ.Client;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// nova's exchanges and queues. Publishers and consumers declare through here so the arguments always agree
/// (RabbitMQ refuses a re-declaration with different ones).
/// </summary>
internal static class AmqpTopology
{
    /// <summary>The durable topic exchange every topic is routed through (<c>control_exchange</c>).</summary>
    public static Task DeclareControlExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

    /// <summary>
    /// <c>compute</c> or <c>compute.host</c>: durable, shared by competing consumers, bound with its routing key
    /// (named as <see cref="QueueName"/> says).
    /// </summary>
    public static async Task DeclareTopicQueueAsync(IChannel channel, string exchange, string routingKey, CancellationToken cancellationToken)
    {
        var queue = QueueName(exchange, routingKey);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(queue, exchange, routingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The queue of a topic: its routing key under nova's exchange, as nova names it; under any other
    /// <c>control_exchange</c>, prefixed with the exchange, because queue names are global to the virtual host: clouds
    /// sharing a broker (concurrent test clouds) would otherwise consume each other's <c>network</c> or <c>scheduler</c> messages.
    /// </summary>
    public static string QueueName(string exchange, string routingKey) => exchange == "nova" ? routingKey : $"{exchange}.{routingKey}";

    /// <summary>
    /// <c>&lt;topic&gt;_fanout</c>. Not auto-delete: a publisher caches that it declared the exchange, and an
    /// exchange that vanished behind its back would make the publish fail the whole channel (404).
    /// </summary>
    public static Task DeclareFanoutExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: false, autoDelete: false, cancellationToken: cancellationToken);

    /// <summary>One subscriber's copy of the fanout: gone with its consumer or connection.</summary>
    public static async Task DeclareFanoutQueueAsync(IChannel channel, string exchange, string queue, CancellationToken cancellationToken)
    {
        await DeclareFanoutExchangeAsync(channel, exchange, cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The process's reply queue; replies are addressed to it by name through the default exchange.</summary>
    public static Task DeclareReplyQueueAsync(IChannel channel, string queue, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);

    /// <summary>
    /// A fanout queue name chosen by the client, not the broker, so the same queue is declared again after a
    /// reconnect; the suffix keeps two services of one topic on one host apart.
    /// </summary>
    public static string FanoutQueueName(string topic, string host) =>
        $"{topic}_fanout_{host}_{Guid.NewGuid().ToString("N")[..12]}";

    public static string ReplyQueueName() => $"reply_{Guid.NewGuid():N}";
}
