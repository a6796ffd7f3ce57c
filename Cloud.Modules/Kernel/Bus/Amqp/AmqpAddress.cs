namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>Where a publish goes, and so what must be declared first for it not to be dropped or refused.</summary>
internal readonly record struct AmqpAddress(string Exchange, string RoutingKey, bool IsFanout, bool DeclaresQueue)
{
    /// <summary>
    /// A topic behind the control exchange. The shared topic's queue is declared by the publisher too, so a
    /// cast sent before its service ever started waits for it; a host's queue is left to the host, so a call
    /// to a host that does not exist leaves no durable queue behind.
    /// </summary>
    public static AmqpAddress ToTopic(string controlExchange, Topic topic) =>
        new(controlExchange, topic.RoutingKey, IsFanout: false, DeclaresQueue: topic.Host is null);

    /// <summary>A fanout exchange (declared first: publishing to a missing exchange closes the channel).</summary>
    public static AmqpAddress ToFanout(string exchange) => new(exchange, "", IsFanout: true, DeclaresQueue: false);

    /// <summary>A queue by name through the default exchange: call replies.</summary>
    public static AmqpAddress ToQueue(string queue) => new("", queue, IsFanout: false, DeclaresQueue: false);
}
