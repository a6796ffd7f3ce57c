using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd manage rpc ping|cast|fanout TOPIC[.HOST]</c>: checks the bus end to end against running services.
/// Every service answers <c>ping</c> with who it is and what it has received; <c>cast</c> and <c>fanout</c> send
/// numbered no-op messages that services count.
/// </summary>
public static class ManageRpcCommand
{
    private static readonly Argument<string> TopicArgument = new("topic") { Description = "compute, or compute.HOST for one host" };
    private static readonly Option<int> Count = new("--count") { Description = "How many messages", DefaultValueFactory = _ => 1 };
    private static readonly Option<double?> Timeout = new("--timeout") { Description = "Seconds to wait for each reply (default: --rpc_response_timeout)" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print each reply as JSON" };

    public static Command Create()
    {
        var rpc = new Command("rpc", "Check the message bus against running services.");

        var ping = new Command("ping", "Call 'ping' on a topic and print who answered.") { TopicArgument, Count, Timeout, Json };
        ToolHost.SetAction(ping, async (parse, services, ct) =>
        {
            var bus = services.GetRequiredService<IRpcBus>();
            var topic = ParseTopic(parse);
            var timeout = parse.GetValue(Timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            for (var i = 0; i < parse.GetValue(Count); i++)
            {
                var watch = Stopwatch.StartNew();
                var pong = await bus.CallAsync<Pong>(RequestContext.Service(), topic, new Ping(), timeout, ct).ConfigureAwait(false);
                Console.WriteLine(parse.GetValue(Json)
                    ? JsonSerializer.Serialize(pong, RpcCodec.Json)
                    : $"pong from {pong.Binary} on {pong.Host} (pid {pong.ProcessId}) in {watch.Elapsed.TotalMilliseconds:0.00} ms; "
                      + $"received {string.Join(", ", pong.Received.Select(kv => $"{kv.Key}={kv.Value}"))}; distinct noops {pong.DistinctNoops}");
            }
            return 0;
        });

        var cast = new Command("cast", "Cast numbered no-op messages to a topic; returns once the bus has accepted them all.") { TopicArgument, Count };
        ToolHost.SetAction(cast, (parse, services, ct) => SendNoopsAsync(parse, services, (bus, ctx, noop) => bus.CastAsync(ctx, ParseTopic(parse), noop, ct)));

        var fanout = new Command("fanout", "Fan numbered no-op messages out to every service of a topic.") { TopicArgument, Count };
        ToolHost.SetAction(fanout, (parse, services, ct) => SendNoopsAsync(parse, services, (bus, ctx, noop) => bus.FanoutCastAsync(ctx, ParseTopic(parse).Name, noop, ct)));

        rpc.Subcommands.Add(ping);
        rpc.Subcommands.Add(cast);
        rpc.Subcommands.Add(fanout);
        return rpc;
    }

    private static async Task<int> SendNoopsAsync(ParseResult parse, IServiceProvider services, Func<IRpcBus, RequestContext, Noop, Task> send)
    {
        var bus = services.GetRequiredService<IRpcBus>();
        var sender = $"{services.GetRequiredService<IOptions<CommonFlags>>().Value.Host}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var count = parse.GetValue(Count);
        var watch = Stopwatch.StartNew();
        for (var i = 1; i <= count; i++)
        {
            await send(bus, RequestContext.Service(), new Noop(sender, i)).ConfigureAwait(false);
        }
        Console.WriteLine($"sent {count} noop{(count == 1 ? "" : "s")} as {sender} in {watch.Elapsed.TotalSeconds:0.000} s");
        return 0;
    }

    private static Topic ParseTopic(ParseResult parse)
    {
        try
        {
            return Topic.Parse(parse.GetRequiredValue(TopicArgument));
        }
        catch (ArgumentException e)
        {
            throw Cloud.Modules.Kernel.Flags.FlagError.Of(e.Message);
        }
    }
}
