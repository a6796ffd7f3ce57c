using System.Net;

namespace Cloud.Tests.Support;

/// <summary>
/// One <c>cloudd --roles=swift-storage</c> process of a <see cref="SwiftCluster"/>: its own ports and devices directory,
/// so it can be killed, wiped and restarted alone, and its daemons run with <c>cloudd swift ... --once</c>.
/// </summary>
public sealed class SwiftStorageNode : IAsyncDisposable
{
    private CloudProcess? _process;

    public SwiftStorageNode(string root, string swiftDir, IReadOnlyList<(string Device, int Zone)> devices)
    {
        Root = root;
        DeviceZones = devices;
        Directory.CreateDirectory(root);
        foreach (var (device, _) in devices)
        {
            Directory.CreateDirectory(Path.Combine(Devices, device));
        }
        (ObjectPort, ContainerPort, AccountPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        // The daemons run only when a test asks (cloudd swift ... --once), so their passes never race its checks.
        Flags =
        [
            $"--state_path={root}", $"--swift_devices={Devices}", "--swift_storage_listen=127.0.0.1", $"--swift_dir={swiftDir}",
            $"--swift_object_port={ObjectPort}", $"--swift_container_port={ContainerPort}", $"--swift_account_port={AccountPort}",
            "--swift_object_replicator_interval=0", "--swift_container_replicator_interval=0", "--swift_account_replicator_interval=0",
            "--swift_object_auditor_interval=0", "--swift_object_updater_interval=0", "--swift_container_updater_interval=0",
            "--swift_expirer_interval=0", "--swift_storage_node_timeout=5",
        ];
    }

    public string Root { get; }

    /// <summary>The devices directory (one sub-directory per device).</summary>
    public string Devices => Path.Combine(Root, "devices");

    /// <summary>Each device and its zone.</summary>
    public IReadOnlyList<(string Device, int Zone)> DeviceZones { get; }

    public int ObjectPort { get; }

    public int ContainerPort { get; }

    public int AccountPort { get; }

    /// <summary>The flags of the role and of its daemons' commands.</summary>
    public string[] Flags { get; }

    public string ObjectUrl => $"http://127.0.0.1:{ObjectPort}";

    public string ContainerUrl => $"http://127.0.0.1:{ContainerPort}";

    public string AccountUrl => $"http://127.0.0.1:{AccountPort}";

    public string Output => _process?.Output ?? "";

    /// <summary>Prepares the node's database (the role records its service row).</summary>
    public async Task SyncDatabaseAsync()
    {
        var sync = await CloudProcess.RunAsync(["manage", "db", "sync", .. Flags]);
        if (sync.ExitCode != 0)
        {
            throw new InvalidOperationException($"manage db sync failed: {sync.Stdout}\n{sync.Stderr}");
        }
    }

    /// <summary>Starts the role and waits until its account server answers.</summary>
    public async Task StartAsync()
    {
        _process = CloudProcess.Start(["--roles=swift-storage", .. Flags]);
        using var http = new HttpClient();
        await Poller.UntilAsync(async () => await AnswersAsync(http, $"http://127.0.0.1:{AccountPort}/{DeviceZones[0].Device}/0/probe"),
            TimeSpan.FromSeconds(60), $"the storage node on port {AccountPort}");
    }

    /// <summary>SIGKILL: the host is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            _process.KillHard();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Empties every device, as a replaced disk is: the directories stay, the data goes.</summary>
    public void Wipe()
    {
        foreach (var (device, _) in DeviceZones)
        {
            foreach (var entry in new DirectoryInfo(Path.Combine(Devices, device)).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
    }

    /// <summary>Runs <c>cloudd swift <paramref name="args"/></c> with the node's flags; returns its output, failing on a non-zero exit.</summary>
    public async Task<string> RunDaemonAsync(params string[] args)
    {
        var run = await CloudProcess.RunAsync(["swift", .. args, .. Flags]);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"cloudd swift {string.Join(' ', args)} exited {run.ExitCode}: {run.Stdout}\n{run.Stderr}");
        }
        return run.Stdout;
    }

    /// <summary>The .data files on this node's devices.</summary>
    public IReadOnlyList<string> DataFiles() => Files("*.data");

    /// <summary>Files under the devices matching <paramref name="pattern"/>.</summary>
    public IReadOnlyList<string> Files(string pattern) =>
        Directory.EnumerateFiles(Devices, pattern, SearchOption.AllDirectories).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode != HttpStatusCode.ServiceUnavailable;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
