using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Tests.Support;

/// <summary>
/// A small real object store: <c>cloudd --roles=swift-storage</c> processes (<see cref="SwiftStorageNode"/>), rings over
/// their devices, and one <c>cloudd --roles=swift-proxy</c> in front, with tempauth users system:root (key testpass) and other:bob (bobpass) and Keystone tokens.
/// <see cref="StartAsync()"/> is one storage process with devices d1 (zone 1) and d2 (zone 2) and two replicas;
/// <see cref="StartZonesAsync"/> is one process per zone, each with one device, and as many replicas as zones.
/// </summary>
public sealed class SwiftCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<SwiftStorageNode> _nodes = [];
    private CloudProcess? _proxy;

    private SwiftCluster()
    {
    }

    /// <summary>The proxy's base URL, e.g. http://127.0.0.1:1234.</summary>
    public string ProxyUrl { get; private set; } = "";

    /// <summary>swift's -A: the tempauth URL.</summary>
    public string AuthUrl => ProxyUrl + "/auth/v1.0";

    /// <summary>The storage processes.</summary>
    public IReadOnlyList<SwiftStorageNode> Nodes => _nodes;

    /// <summary>Directory of the first storage process's devices (d1 and d2 in the one-process cluster).</summary>
    public string Devices => _nodes[0].Devices;

    /// <summary>Scratch directory for the test's own files.</summary>
    public string Work => Path.Combine(_dir.Path, "work");

    /// <summary>The directory of the ring files.</summary>
    public string SwiftDir => Path.Combine(_dir.Path, "etc-swift");

    /// <summary>The account, container or object ring the cluster runs on (hash suffix cloudd, the default).</summary>
    public Ring Ring(string kind) => new(Path.Combine(SwiftDir, kind + ".ring.gz"), "", "cloudd");

    /// <summary>The proxy's state path: its database holds the identity data Keystone tokens are checked against.</summary>
    public string ProxyStatePath => Path.Combine(_dir.Path, "proxy");

    /// <summary>The flags the proxy runs with (without <c>--roles</c>), to start another proxy beside it.</summary>
    public IReadOnlyList<string> ProxyFlags { get; private set; } = [];

    /// <summary>Every process's output, for failure messages.</summary>
    public string Output => string.Join('\n', _nodes.Select((n, i) => $"storage {i}:\n{n.Output}")) + $"\nproxy:\n{_proxy?.Output}";

    /// <summary>One storage process with devices d1 (zone 1) and d2 (zone 2), two replicas.</summary>
    public static Task<SwiftCluster> StartAsync(IReadOnlyList<string>? extraProxyFlags = null) => StartAsync([[("d1", 1), ("d2", 2)]], 2, extraProxyFlags ?? []);

    /// <summary>One storage process per zone, each with one device (d1 in zone 1, ...); a replica in each zone unless <paramref name="replicas"/> says fewer.</summary>
    public static Task<SwiftCluster> StartZonesAsync(int zones, int? replicas = null) =>
        StartAsync([.. Enumerable.Range(1, zones).Select(z => (IReadOnlyList<(string, int)>)[($"d{z}", z)])], replicas ?? zones, []);

    /// <summary>
    /// One storage process per zone with a second storage policy: policy 0 has a replica in each zone, policy 1
    /// (object-1.ring.gz) <paramref name="policyReplicas"/>; the proxy runs with <c>--swift_storage_policies=<paramref name="policies"/></c>.
    /// </summary>
    public static Task<SwiftCluster> StartWithPolicyAsync(int zones, int policyReplicas, string policies) =>
        StartAsync([.. Enumerable.Range(1, zones).Select(z => (IReadOnlyList<(string, int)>)[($"d{z}", z)])], zones, [$"--swift_storage_policies={policies}"],
            [("object-1", policyReplicas)]);

    private static async Task<SwiftCluster> StartAsync(IReadOnlyList<IReadOnlyList<(string Device, int Zone)>> layout, int replicas, IReadOnlyList<string> extraProxyFlags,
        IReadOnlyList<(string Ring, int Replicas)>? policyRings = null)
    {
        var cluster = new SwiftCluster();
        try
        {
            await cluster.StartCoreAsync(layout, replicas, extraProxyFlags, policyRings ?? []);
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
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        _dir.Dispose();
    }

    private async Task StartCoreAsync(IReadOnlyList<IReadOnlyList<(string Device, int Zone)>> layout, int replicas, IReadOnlyList<string> extraProxyFlags,
        IReadOnlyList<(string Ring, int Replicas)> policyRings)
    {
        var root = _dir.Path;
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(SwiftDir);
        for (var i = 0; i < layout.Count; i++)
        {
            _nodes.Add(new SwiftStorageNode(Path.Combine(root, $"storage{i + 1}"), SwiftDir, layout[i]));
        }
        foreach (var (kind, kindReplicas) in new[] { ("account", replicas), ("container", replicas), ("object", replicas) }.Concat(policyRings))
        {
            var builder = RingBuilder.Create(8, kindReplicas, 1);
            foreach (var node in _nodes)
            {
                var port = kind switch { "account" => node.AccountPort, "container" => node.ContainerPort, _ => node.ObjectPort };
                foreach (var (device, zone) in node.DeviceZones)
                {
                    builder.AddDevice($"z{zone}-127.0.0.1:{port}/{device}", 100);
                }
            }
            builder.Rebalance();
            builder.WriteRing(Path.Combine(SwiftDir, kind + ".ring.gz"));
        }
        var proxyPort = FreePort.Next();
        string[] proxyFlags = [$"--state_path={ProxyStatePath}", $"--swift_dir={SwiftDir}", $"--swift_proxy_bind=127.0.0.1:{proxyPort}",
            "--swift_tempauth_users=system:root:testpass:.admin,other:bob:bobpass:.admin", "--swift_keystone_auth", .. extraProxyFlags];
        ProxyFlags = proxyFlags;
        Directory.CreateDirectory(ProxyStatePath);
        var proxySync = CloudProcess.RunAsync(["manage", "db", "sync", .. proxyFlags]);
        await Task.WhenAll(_nodes.Select(n => n.SyncDatabaseAsync()));
        if ((await proxySync) is { ExitCode: not 0 } failed)
        {
            throw new InvalidOperationException($"manage db sync failed: {failed.Stdout}\n{failed.Stderr}");
        }
        _proxy = CloudProcess.Start(["--roles=swift-proxy", .. proxyFlags]);
        var tls = extraProxyFlags.Any(f => f.StartsWith("--swift_cert_file=", StringComparison.Ordinal));
        ProxyUrl = $"{(tls ? "https" : "http")}://127.0.0.1:{proxyPort}";
        await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        await Poller.UntilAsync(() => AnswersAsync(http, $"{ProxyUrl}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");
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
