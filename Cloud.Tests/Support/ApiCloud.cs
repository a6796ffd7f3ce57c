using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A running <c>cloudd --roles=api</c> on SQLite with two users and two projects, as the seed sets them up:
/// berendt (admin, manages testing) and alice (manages other). Keystone and EC2 on free loopback ports, and the
/// image API too when the glance role is asked for.
/// </summary>
public sealed class ApiCloud : IAsyncDisposable
{
    public const string AdminPassword = "berendt-secret";
    public const string UserPassword = "alice-secret";

    /// <summary>The image reader service user's password (<c>--image_reader_password</c>); the user exists when the cloud runs glance.</summary>
    public const string ImageReaderPassword = "image-reader-secret";

    private readonly TempDir _dir = new();
    private readonly List<PortBridge> _bridges = [];
    private CloudProcess? _process;
    private Func<CloudProcess>? _relaunch;
    private bool _glance;

    private ApiCloud(string? sqlConnection, IReadOnlyList<string> extraFlags)
    {
        SqlConnection = sqlConnection ?? $"sqlite:///{_dir.Path}/cloudd.sqlite";
        var keystone = FreePort.Next();
        var ec2 = FreePort.Next();
        var glance = FreePort.Next();
        var compute = FreePort.Next();
        var metadata = FreePort.Next();
        var volume = FreePort.Next();
        VolumeUrl = $"http://127.0.0.1:{volume}";
        MetadataUrl = $"http://127.0.0.1:{metadata}";
        ComputeUrl = $"http://127.0.0.1:{compute}";
        KeystoneUrl = $"http://127.0.0.1:{keystone}";
        Ec2Url = $"http://127.0.0.1:{ec2}/services/Cloud";
        GlanceUrl = $"http://127.0.0.1:{glance}";
        Flags =
        [
            $"--state_path={_dir.Path}", $"--logdir={LogDir}", "--cc_host=127.0.0.1",
            "--keystone_listen=127.0.0.1", $"--keystone_port={keystone}", "--ec2_listen=127.0.0.1", $"--ec2_listen_port={ec2}",
            "--glance_listen=127.0.0.1", $"--glance_port={glance}", $"--glance_api_servers=127.0.0.1:{glance}",
            "--osapi_compute_listen=127.0.0.1", $"--osapi_compute_listen_port={compute}",
            "--osapi_volume_listen=127.0.0.1", $"--osapi_volume_listen_port={volume}",
            "--metadata_listen=127.0.0.1", $"--metadata_port={metadata}", $"--image_reader_password={ImageReaderPassword}",
            .. extraFlags,
            .. sqlConnection is null ? Array.Empty<string>() : [$"--sql_connection={sqlConnection}"],
            .. extraFlags,
        ];
    }

    public string KeystoneUrl { get; }

    /// <summary>The cloud's database (the default SQLite file unless another was given), for tests that stand in for another role's rows.</summary>
    public string SqlConnection { get; }

    public string Ec2Url { get; }

    /// <summary>The image API, served when the cloud runs the glance role.</summary>
    public string GlanceUrl { get; }

    /// <summary>The OpenStack Compute API (without <c>/v2.1</c>).</summary>
    public string ComputeUrl { get; }

    /// <summary>The OpenStack Block Storage API, Cinder v3 (without <c>/v3</c>).</summary>
    public string VolumeUrl { get; }

    /// <summary>The metadata service guests read (<c>--metadata_port</c>); it knows guests by their source address.</summary>
    public string MetadataUrl { get; }

    public string[] Flags { get; }

    public string LogDir => Path.Combine(_dir.Path, "log");

    public string StatePath => _dir.Path;

    /// <param name="sqlConnection">The database; default SQLite under the cloud's own state path.</param>
    /// <param name="roles">The roles the process runs, <c>api</c> always among them.</param>
    /// <param name="extraFlags">More flags for the cloud and its manage commands (e.g. <c>--compute_driver=fake</c> or the image store's).</param>
    public static Task<ApiCloud> StartAsync(string? sqlConnection = null, string roles = "api", params string[] extraFlags) =>
        StartCoreAsync(new ApiCloud(sqlConnection, extraFlags), roles, (cloud, args) =>
        {
            cloud._relaunch = () => CloudProcess.Start(args);
            return Task.FromResult(cloud._relaunch());
        });

    /// <summary>
    /// The same cloud, but its process runs inside <paramref name="ns"/> (beside the bridges and guests of a
    /// hypervisor host there) with <paramref name="environment"/>; its API ports are bridged out to the same
    /// loopback ports here, so every URL and client works unchanged.
    /// </summary>
    /// <param name="prepare">Operator steps before the process starts (e.g. <c>manage network create</c>).</param>
    public static Task<ApiCloud> StartInAsync(
        NetworkNamespace ns, IReadOnlyDictionary<string, string> environment, string? sqlConnection, string roles, Func<ApiCloud, Task>? prepare, params string[] extraFlags) =>
        StartCoreAsync(new ApiCloud(sqlConnection, extraFlags), roles, async (cloud, args) =>
        {
            cloud._dir.Traversable();
            if (prepare is not null)
            {
                await prepare(cloud);
            }
            foreach (var url in new[] { cloud.KeystoneUrl, cloud.Ec2Url, cloud.GlanceUrl, cloud.ComputeUrl, cloud.VolumeUrl })
            {
                cloud._bridges.Add(await PortBridge.ExposeAsync(ns, new Uri(url).Port, cloud._dir.Path));
            }
            cloud._relaunch = () => CloudProcess.StartIn(ns, args, environment);
            return cloud._relaunch();
        });

    private static async Task<ApiCloud> StartCoreAsync(ApiCloud cloud, string roles, Func<ApiCloud, string[], Task<CloudProcess>> launch)
    {
        await cloud.ManageAsync("db", "sync");
        await cloud.ManageAsync("user", "admin", "berendt", $"--password={AdminPassword}");
        await cloud.ManageAsync("user", "create", "alice", $"--password={UserPassword}");
        await cloud.ManageAsync("project", "create", "testing", "berendt");
        await cloud.ManageAsync("project", "create", "other", "alice");
        var glance = roles.Split(',').Contains("glance");
        if (glance)
        {
            await cloud.ManageAsync("user", "image-reader", "image-reader", $"--password={ImageReaderPassword}");
        }
        cloud._process = await launch(cloud, [$"--roles={roles}", .. cloud.Flags]);
        cloud._glance = glance;
        await cloud.UntilUpAsync();
        return cloud;
    }

    /// <summary>
    /// The process killed (SIGKILL: no clean-up, as a crash or a host reboot), <paramref name="whileDown"/> done to the
    /// host, and the same process started again; returns when its APIs answer.
    /// </summary>
    public async Task RestartAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        _process!.KillHard();
        await _process.DisposeAsync();
        await whileDown();
        _process = _relaunch!();
        await UntilUpAsync();
    }

    private async Task UntilUpAsync()
    {
        var (cloud, glance) = (this, _glance);
        using var http = new HttpClient();
        await Poller.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"{cloud.KeystoneUrl}/v3")).IsSuccessStatusCode
                    && (await http.PostAsync(cloud.Ec2Url, null)).StatusCode != System.Net.HttpStatusCode.NotFound
                    && (!glance || (await http.GetAsync($"{cloud.GlanceUrl}/versions")).IsSuccessStatusCode);
            }
            catch (HttpRequestException)
            {
                return cloud._process!.HasExited ? throw new InvalidOperationException($"cloudd exited:\n{cloud._process.Output}") : false;
            }
        }, TimeSpan.FromSeconds(60), glance ? "Keystone, EC2 and Glance to answer" : "Keystone and EC2 to answer");
    }

    /// <summary>The cloudd process's own output (start-up failures land here before any log file exists).</summary>
    public string Output => _process?.Output ?? "";

    public async Task<string> ManageAsync(params string[] args)
    {
        var result = await CloudProcess.RunAsync(["manage", .. args, .. Flags]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.Stdout;
    }

    /// <summary>The user's EC2 keys, from <c>manage user exports</c> as an operator gets them.</summary>
    public async Task<(string AccessKey, string SecretKey)> Ec2KeysAsync(string user)
    {
        var exports = (await ManageAsync("user", "exports", user)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Replace("export ", "", StringComparison.Ordinal).Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return (exports["EC2_ACCESS_KEY"], exports["EC2_SECRET_KEY"]);
    }

    /// <summary>The <c>OS_*</c> variables of a password login to Keystone v3 as the user, scoped to the project (the real clients' novarc).</summary>
    public Dictionary<string, string> OpenStackEnvironment(string user, string password, string project) => new()
    {
        ["OS_AUTH_URL"] = $"{KeystoneUrl}/v3",
        ["OS_USERNAME"] = user,
        ["OS_PASSWORD"] = password,
        ["OS_PROJECT_NAME"] = project,
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    /// <summary>The environment awscli needs for these keys and nothing of the machine's own configuration.</summary>
    public static Dictionary<string, string> AwsEnvironment(string accessKey, string secretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public string Logs => Directory.Exists(LogDir) ? string.Join('\n', Directory.GetFiles(LogDir).Select(File.ReadAllText)) : "";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        foreach (var bridge in _bridges)
        {
            await bridge.DisposeAsync();
        }
        _dir.Dispose();
    }
}
