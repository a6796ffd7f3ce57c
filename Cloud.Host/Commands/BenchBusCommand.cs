using System.CommandLine;
using System.Diagnostics;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd bench bus</c>: round-trip call latency and cast throughput over the configured transport
/// (in-process by default, RabbitMQ with <c>--rabbit_host</c>). This process both serves and sends, so over
/// RabbitMQ every message makes the full trip through the broker.
/// </summary>
public static class BenchBusCommand
{
    private static readonly Option<int> Calls = new("--calls") { Description = "Sequential calls to time", DefaultValueFactory = _ => 2000 };
    private static readonly Option<int> Casts = new("--casts") { Description = "Casts to send for throughput", DefaultValueFactory = _ => 20000 };
    private static readonly Option<int> Concurrency = new("--concurrency") { Description = "Casts in flight at once", DefaultValueFactory = _ => 64 };

    public static Command Create()
    {
        var command = new Command("bus", "Call latency (p50/p99) and cast throughput of the bus.") { Calls, Casts, Concurrency };
        ToolHost.SetAction(command, async (parse, services, ct) =>
        {
            var bus = services.GetRequiredService<IRpcBus>();
            var host = $"bench{Environment.ProcessId}";
            var endpoint = new ServiceEndpoint("bench", host, new IdleManager(), NullLogger.Instance);
            await using var subscription = await bus.ServeAsync("bench", host, endpoint, ct).ConfigureAwait(false);
            var topic = Topic.ForHost("bench", host);
            var context = RequestContext.Service();

            for (var i = 0; i < 50; i++)
            {
                await bus.CallAsync<Pong>(context, topic, new Ping(), null, ct).ConfigureAwait(false);
            }
            var latencies = new List<double>();
            for (var i = 0; i < parse.GetValue(Calls); i++)
            {
                var watch = Stopwatch.StartNew();
                await bus.CallAsync<Pong>(context, topic, new Ping(), null, ct).ConfigureAwait(false);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            latencies.Sort();

            var casts = parse.GetValue(Casts);
            var before = endpoint.Statistics.DistinctNoops;
            var sent = Stopwatch.StartNew();
            var next = 0L;
            var senders = Enumerable.Range(0, Math.Max(1, parse.GetValue(Concurrency))).Select(_ => Task.Run(async () =>
            {
                long n;
                while ((n = Interlocked.Increment(ref next)) <= casts)
                {
                    await bus.CastAsync(context, topic, new Noop(host, n), ct).ConfigureAwait(false);
                }
            }, ct));
            await Task.WhenAll(senders).ConfigureAwait(false);
            var sendSeconds = sent.Elapsed.TotalSeconds;
            while (endpoint.Statistics.DistinctNoops - before < casts)
            {
                await Task.Delay(5, ct).ConfigureAwait(false);
            }
            var deliverSeconds = sent.Elapsed.TotalSeconds;

            Console.WriteLine($"transport: {bus.GetType().Name}");
            Console.WriteLine($"call round trip, {latencies.Count} sequential: p50 {BenchCommand.Percentile(latencies, 0.50):0.000} ms, "
                + $"p99 {BenchCommand.Percentile(latencies, 0.99):0.000} ms, max {latencies[^1]:0.000} ms");
            Console.WriteLine($"cast, {casts} with {parse.GetValue(Concurrency)} in flight: accepted {casts / sendSeconds:0} msg/s, "
                + $"delivered {casts / deliverSeconds:0} msg/s ({deliverSeconds:0.00} s)");
            return 0;
        });
        return command;
    }
}
