using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Storage;
using Cloud.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>A container or account server on a loopback port over a temporary devices directory holding "sda1".</summary>
public sealed class DatabaseServerHarness : IAsyncDisposable
{
    private readonly TempDir _devices = new();
    private HttpServer? _server;

    private DatabaseServerHarness() => Directory.CreateDirectory(Path.Combine(_devices.Path, "sda1"));

    public string DevicesPath => _devices.Path;

    public HttpClient Client { get; private set; } = null!;

    /// <param name="serve">Builds the server for the flags and returns its HTTP options.</param>
    public static async Task<DatabaseServerHarness> StartAsync(Func<SwiftStorageFlags, HttpServerOptions> serve)
    {
        var harness = new DatabaseServerHarness();
        var port = FreePort.Next();
        var options = serve(new SwiftStorageFlags { SwiftDevices = harness._devices.Path }) with { Listen = "127.0.0.1", Port = port };
        harness._server = new HttpServer(options, NullLoggerFactory.Instance);
        await harness._server.StartAsync(CancellationToken.None);
        harness.Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return harness;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Client.SendAsync(request);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server!.StopAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        _devices.Dispose();
    }
}
