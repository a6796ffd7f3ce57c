using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.InProcess;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>The in-process bus under the contract tests.</summary>
public sealed class InProcessBusHarness : IBusHarness
{
    private readonly Dictionary<RecordingEndpoint, IAsyncDisposable> _served = [];

    public IRpcBus Client { get; } = new InProcessBus(TestBus.Codec, TestBus.Dispatcher(), Options.Create(TestBus.Flags()));

    public Task StartAsync() => Task.CompletedTask;

    public async Task<RecordingEndpoint> ServeAsync(string topic, string host)
    {
        var endpoint = new RecordingEndpoint($"{topic}.{host}#{_served.Count}");
        _served[endpoint] = await Client.ServeAsync(topic, host, endpoint, CancellationToken.None);
        return endpoint;
    }

    public async Task StopServingAsync(RecordingEndpoint endpoint)
    {
        await _served[endpoint].DisposeAsync();
        _served.Remove(endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _served.Values)
        {
            await subscription.DisposeAsync();
        }
        await Client.DisposeAsync();
    }
}
