namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// Where a message goes: a shared topic (<c>compute</c>, any consumer takes it) or one host's topic
/// (<c>compute.brontes</c>). Fanout to every consumer of a topic uses the exchange <c>&lt;topic&gt;_fanout</c>.
/// </summary>
public readonly record struct Topic
{
    private Topic(string name, string? host)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.'))
        {
            throw new ArgumentException($"'{name}' is not a topic name (a word such as compute or scheduler).", nameof(name));
        }
        if (host is not null && (host.Length == 0 || host.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException($"'{host}' is not a host name.", nameof(host));
        }
        Name = name;
        Host = host;
    }

    /// <summary>The service's topic: compute, network, volume, scheduler, ...</summary>
    public string Name { get; }

    /// <summary>The host when the message is for one host only; otherwise null.</summary>
    public string? Host { get; }

    /// <summary>The routing key / queue name: <c>compute</c> or <c>compute.brontes</c>.</summary>
    public string RoutingKey => Host is null ? Name : $"{Name}.{Host}";

    /// <summary>The exchange that reaches every consumer of <see cref="Name"/>.</summary>
    public string FanoutExchange => $"{Name}_fanout";

    public static Topic Shared(string name) => new(name, null);

    public static Topic ForHost(string name, string host) => new(name, host);

    /// <summary>Parses <c>compute</c> or <c>compute.brontes</c> (host names may contain dots).</summary>
    public static Topic Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Shared(text) : ForHost(text[..dot], text[(dot + 1)..]);
    }

    public override string ToString() => RoutingKey;
}
