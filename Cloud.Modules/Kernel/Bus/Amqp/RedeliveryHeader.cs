using System.Text;
using RabbitMQ.Client;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// The attempt count of a cast published again after a transient failure, carried in a message header (a plain
/// broker redelivery after a lost connection keeps the count it had: that attempt never finished).
/// </summary>
internal static class RedeliveryHeader
{
    public const string Name = "cloudd_attempt";

    /// <summary>Which attempt this delivery is: 1 unless the header says otherwise.</summary>
    public static int AttemptOf(IReadOnlyBasicProperties properties) =>
        properties.Headers is { } headers && headers.TryGetValue(Name, out var value) ? Parse(value) : 1;

    /// <summary>The properties for publishing <paramref name="received"/> again as attempt <paramref name="attempt"/>.</summary>
    public static BasicProperties Next(IReadOnlyBasicProperties received, int attempt)
    {
        var properties = new BasicProperties(received)
        {
            Headers = new Dictionary<string, object?>(received.Headers ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
            {
                [Name] = attempt,
            },
        };
        return properties;
    }

    // The client reads integers back as whatever width the wire used; a string is what another client may send.
    private static int Parse(object? value) => value switch
    {
        int i => Math.Max(1, i),
        long l => (int)Math.Clamp(l, 1, int.MaxValue),
        short s => Math.Max(1, (int)s),
        byte b => Math.Max(1, (int)b),
        byte[] text when int.TryParse(Encoding.UTF8.GetString(text), out var parsed) => Math.Max(1, parsed),
        _ => 1,
    };
}
