using Cloud.Modules.Kernel.Bus;

namespace Cloud.Tests.Support;

/// <summary>
/// One bus implementation under the contract tests: a client bus, and endpoints served on it as if by
/// separate services. Harnesses for external transports ignore (or, with CLOUD_TEST_REQUIRE=1, fail) when
/// their service is not configured.
/// </summary>
public interface IBusHarness : IAsyncDisposable
{
    /// <summary>The bus tests send on.</summary>
    IRpcBus Client { get; }

    Task StartAsync();

    /// <summary>Serves a new endpoint on <paramref name="topic"/> for <paramref name="host"/>, as a separate service would.</summary>
    Task<RecordingEndpoint> ServeAsync(string topic, string host);

    /// <summary>Stops serving the endpoint (in-flight messages finish first).</summary>
    Task StopServingAsync(RecordingEndpoint endpoint);
}
