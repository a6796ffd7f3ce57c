using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Modules.Swift.Storage.Updater;
using Cloud.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>An object server on a loopback port over a temporary devices directory holding device "sda1".</summary>
public sealed class ObjectServerHarness : IAsyncDisposable
{
    public const string Device = "sda1";

    private readonly TempDir _devices = new();
    private readonly HttpServer _server;

    private ObjectServerHarness(bool mountCheck, IDiskFileFactory diskFiles)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_devices.Path, Device));
        Flags = new SwiftStorageFlags { SwiftDevices = _devices.Path, SwiftMountCheck = mountCheck };
        var port = FreePort.Next();
        var objects = new ObjectServer(Flags, Hash, TimeProvider.System, diskFiles,
            new ContainerUpdateSender(NodeClient, NullLogger<ContainerUpdateSender>.Instance),
            new ObjectReplicationEndpoint(Flags, Consistency, TimeProvider.System, NullLogger<ObjectReplicationEndpoint>.Instance),
            DiskThreads, NullLogger<ObjectServer>.Instance);
        _server = new HttpServer(
            new HttpServerOptions("swift-storage", "ObjectServer", "127.0.0.1", port, objects.Map, ObjectServer.WriteErrorAsync, ObjectServer.MaxObjectBytes),
            NullLoggerFactory.Instance);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public SwiftHash Hash { get; } = new("", "changeme");

    public SwiftStorageFlags Flags { get; }

    /// <summary>The devices' threads the server commits on (stopped by <see cref="DisposeAsync"/>, after the server).</summary>
    public DiskThreads DiskThreads => _diskThreads ??= new DiskThreads(Flags);

    private DiskThreads? _diskThreads;

    /// <summary>The consistency flags (reclaim age, node timeout) the server and the tests' daemons share.</summary>
    public SwiftConsistencyFlags Consistency { get; } = new() { NodeTimeout = 2 };

    /// <summary>What the server sends container updates with; tests' daemons may share it.</summary>
    public StorageNodeClient NodeClient => _nodeClient ??= StorageNodeClient.WithTimeoutSeconds(Consistency.NodeTimeout, NullLogger<StorageNodeClient>.Instance);

    private StorageNodeClient? _nodeClient;

    public HttpClient Client { get; }

    public string DevicePath => System.IO.Path.Combine(_devices.Path, Device);

    /// <param name="mountCheck">Whether the server refuses a device that is not a mount point.</param>
    /// <param name="diskFiles">What the server stores on; the files in swift's layout by default.</param>
    public static async Task<ObjectServerHarness> StartAsync(bool mountCheck = false, IDiskFileFactory? diskFiles = null)
    {
        var harness = new ObjectServerHarness(mountCheck, diskFiles ?? new FsDiskFileFactory());
        await harness._server.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>The hash directory of /a/c/<paramref name="obj"/> in partition <paramref name="partition"/>.</summary>
    public string HashDirectory(string obj, int partition = 0)
    {
        var hex = Hash.Hex("a", "c", obj);
        return System.IO.Path.Combine(DevicePath, "objects", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), hex[^3..], hex);
    }

    public string[] FileNames(string obj) =>
        Directory.Exists(HashDirectory(obj)) ? Directory.GetFiles(HashDirectory(obj)).Select(f => System.IO.Path.GetFileName(f)).Order().ToArray() : [];

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? timestamp = null, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (timestamp is not null)
        {
            request.Headers.Add("X-Timestamp", timestamp);
        }
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PutAsync(string obj, string timestamp, string body, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Put, $"/{Device}/0/a/c/{obj}", timestamp, new StringContent(body, null, "text/plain"), headers);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _nodeClient?.Dispose();
        await _server.StopAsync(CancellationToken.None);
        _diskThreads?.Dispose();
        _devices.Dispose();
    }
}
