using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Tests.Support;

/// <summary>
/// A small real object store: one <c>cloudd --roles=swift-storage</c> with devices d1 (zone 1) and d2 (zone 2), rings of
/// two replicas over them, and one <c>cloudd --roles=swift-proxy</c> in front, with the default tempauth user system:root.
/// </summary>
public sealed class SwiftCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private CloudProcess? _storage;
    private CloudProcess? _proxy;

    private SwiftCluster()
    {
    }

    /// <summary>The proxy's base URL, e.g. http://127.0.0.1:1234.</summary>
    public string ProxyUrl { get; private set; } = "";

    /// <summary>swift's -A: the tempauth URL.</summary>
    public string AuthUrl => ProxyUrl + "/auth/v1.0";

    /// <summary>Directory of the storage devices (d1, d2).</summary>
    public string Devices => Path.Combine(_dir.Path, "devices");

    /// <summary>Scratch directory for the test's own files.</summary>
    public string Work => Path.Combine(_dir.Path, "work");

    /// <summary>The proxy's state path: its database holds the identity data Keystone tokens are checked against.</summary>
    public string ProxyStatePath => Path.Combine(_dir.Path, "proxy");

    /// <summary>The flags the proxy runs with (without <c>--roles</c>), to start another proxy beside it.</summary>
    public IReadOnlyList<string> ProxyFlags { get; private set; } = [];

    /// <summary>Both processes' output, for failure messages.</summary>
    public string Output => $"storage:\n{_storage?.Output}\nproxy:\n{_proxy?.Output}";

    /// <summary>Builds the rings, starts both roles and waits until the proxy and the account server answer.</summary>
    public static async Task<SwiftCluster> StartAsync(IReadOnlyList<string>? extraProxyFlags = null)
    {
        var cluster = new SwiftCluster();
        try
        {
            await cluster.StartCoreAsync(extraProxyFlags ?? []);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
        _dir.Dispose();
    }

    private async Task StartCoreAsync(IReadOnlyList<string> extraProxyFlags)
    {
        var root = _dir.Path;
        Directory.CreateDirectory(Path.Combine(Devices, "d1"));
        Directory.CreateDirectory(Path.Combine(Devices, "d2"));
        Directory.CreateDirectory(Work);
        var swiftDir = Directory.CreateDirectory(Path.Combine(root, "etc-swift")).FullName;
        var (objectPort, containerPort, accountPort, proxyPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        foreach (var (kind, port) in new[] { ("account", accountPort), ("container", containerPort), ("object", objectPort) })
        {
            var builder = RingBuilder.Create(8, 2, 1);
            builder.AddDevice($"z1-127.0.0.1:{port}/d1", 100);
            builder.AddDevice($"z2-127.0.0.1:{port}/d2", 100);
            builder.Rebalance();
            builder.WriteRing(Path.Combine(swiftDir, kind + ".ring.gz"));
        }
        string[] storageFlags =
        [
            $"--state_path={root}/storage", $"--swift_devices={Devices}", "--swift_storage_listen=127.0.0.1",
            $"--swift_object_port={objectPort}", $"--swift_container_port={containerPort}", $"--swift_account_port={accountPort}",
        ];
        string[] proxyFlags = [$"--state_path={root}/proxy", $"--swift_dir={swiftDir}", $"--swift_proxy_bind=127.0.0.1:{proxyPort}",
            "--swift_tempauth_users=system:root:testpass:.admin,other:bob:bobpass:.admin", .. extraProxyFlags];
        ProxyFlags = proxyFlags;
        Directory.CreateDirectory(Path.Combine(root, "storage"));
        Directory.CreateDirectory(Path.Combine(root, "proxy"));
        foreach (var flags in new[] { storageFlags, proxyFlags })
        {
            var sync = await CloudProcess.RunAsync(["manage", "db", "sync", .. flags]);
            if (sync.ExitCode != 0)
            {
                throw new InvalidOperationException($"manage db sync failed: {sync.Stdout}\n{sync.Stderr}");
            }
        }
        _storage = CloudProcess.Start(["--roles=swift-storage", .. storageFlags]);
        _proxy = CloudProcess.Start(["--roles=swift-proxy", .. proxyFlags]);
        var tls = extraProxyFlags.Any(f => f.StartsWith("--swift_cert_file=", StringComparison.Ordinal));
        ProxyUrl = $"{(tls ? "https" : "http")}://127.0.0.1:{proxyPort}";
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        await Poller.UntilAsync(async () => await AnswersAsync(http, $"{ProxyUrl}/healthcheck") && await AnswersAsync(http, $"http://127.0.0.1:{accountPort}/d1/0/probe"),
            TimeSpan.FromSeconds(60), "the swift proxy and storage servers");
    }

    /// <summary>Whether anything answers HTTP at <paramref name="url"/>.</summary>
    public static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
