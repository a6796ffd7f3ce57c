using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A cloudd process with <c>--roles=api,scheduler,compute,glance --compute_driver=fake</c> (the fake driver is a test
/// double) on SQLite or MariaDB, with a public image <c>ttylinux</c> uploaded by the admin berendt (project testing),
/// and two members of their own projects, alice (other) and carol (third), for isolation. Runs the real clients.
/// </summary>
public sealed class ComputeApiCloud : IAsyncDisposable
{
    public const string CarolPassword = "carol-secret";

    private readonly TempDir _home = new();
    private readonly HttpClient _http = new();
    private readonly MySqlHarness? _mysql;

    private ComputeApiCloud(ApiCloud cloud, MySqlHarness? mysql)
    {
        Cloud = cloud;
        _mysql = mysql;
        Glance = new GlanceHttp(cloud);
    }

    public ApiCloud Cloud { get; }

    public GlanceHttp Glance { get; }

    /// <summary>The glance id of the public image <c>ttylinux</c>.</summary>
    public string ImageId { get; private set; } = "";

    public string Home => _home.Path;

    /// <param name="mariaDb">On MariaDB (else SQLite).</param>
    /// <param name="extraFlags">More flags for the process, e.g. <c>--allow_resize_to_same_host</c>.</param>
    public static async Task<ComputeApiCloud> StartAsync(bool mariaDb = false, params string[] extraFlags)
    {
        var mysql = mariaDb ? new MySqlHarness() : null;
        var api = await ApiCloud.StartAsync(mysql?.SqlConnection, "api,scheduler,compute,glance",
            ["--compute_driver=fake", "--report_interval=1", "--periodic_interval=1", "--host=fakehost", .. extraFlags]);
        var cloud = await AroundAsync(api, mysql);
        await cloud.UploadImageAsync();
        await cloud.ComputeHostsUpAsync();
        return cloud;
    }

    /// <summary>Uploads the public image <c>ttylinux</c> as the admin (a stand-in: the fake driver boots nothing) and keeps its id in <see cref="ImageId"/>.</summary>
    public async Task UploadImageAsync()
    {
        var admin = await TokenAsync("berendt");
        ImageId = await Glance.CreateAsync(admin, new { name = "ttylinux", container_format = "bare", disk_format = "raw", visibility = "public" });
        await Glance.UploadAsync(admin, ImageId, Encoding.ASCII.GetBytes("not really a disk image"));
    }

    /// <summary>The clients and accounts around a cloud that already runs (carol of project third is added); disposing stops it.</summary>
    public static async Task<ComputeApiCloud> AroundAsync(ApiCloud api, MySqlHarness? mysql = null)
    {
        var cloud = new ComputeApiCloud(api, mysql);
        await api.ManageAsync("user", "create", "carol", $"--password={CarolPassword}");
        await api.ManageAsync("project", "create", "third", "carol");
        return cloud;
    }

    /// <summary>Waits until a compute host has reported, so the availability zone is available.</summary>
    public async Task ComputeHostsUpAsync()
    {
        var admin = await TokenAsync("berendt");
        await Poller.UntilAsync(async () => (await NovaAsync(admin, HttpMethod.Get, "/v2.1/os-availability-zone")).Body.Contains("\"available\":true", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the compute host to report");
    }

    public static (string Password, string Project) Account(string user) => user switch
    {
        "berendt" => (ApiCloud.AdminPassword, "testing"),
        "alice" => (ApiCloud.UserPassword, "other"),
        "carol" => (CarolPassword, "third"),
        _ => throw new ArgumentException(user),
    };

    public Task<string> TokenAsync(string user) => Glance.TokenAsync(user, Account(user).Password, Account(user).Project);

    /// <summary>A raw request to the compute API; returns status and body.</summary>
    public async Task<(int Status, string Body)> NovaAsync(string token, HttpMethod method, string path, object? body = null, string? version = null)
    {
        using var request = new HttpRequestMessage(method, Cloud.ComputeUrl + path);
        request.Headers.Add("X-Auth-Token", token);
        if (version is not null)
        {
            request.Headers.Add("X-OpenStack-Nova-API-Version", version);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs <c>aws ec2 ...</c> with the user's EC2 keys (text output unless asked otherwise).</summary>
    public async Task<ToolRun> AwsAsync(string user, params string[] args)
    {
        var aws = ExternalTool.Require("/usr/bin/aws", "awscli");
        var (access, secret) = await Cloud.Ec2KeysAsync(user);
        return await ExternalTool.RunAsync(aws, ["ec2", .. args, "--endpoint-url", Cloud.Ec2Url, "--region", "nova"], Home, environment: new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = access,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = "",
        }, timeout: TimeSpan.FromSeconds(90));
    }

    /// <summary>Runs <c>openstack ...</c> as the user in their project.</summary>
    public Task<ToolRun> OpenstackAsync(string user, params string[] args) => OpenstackAsAsync(user, Account(user).Password, Account(user).Project, args);

    /// <summary>Runs <c>openstack ...</c> as any user (one made through Keystone, say) in the project named.</summary>
    public Task<ToolRun> OpenstackAsAsync(string user, string password, string project, params string[] args) =>
        ExternalTool.RunAsync(ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient"), args, Home,
            environment: OpenStackEnvironment(user, password, project), timeout: TimeSpan.FromSeconds(90));

    /// <summary>Runs <c>nova ...</c> (python-novaclient) as the user in their project.</summary>
    public Task<ToolRun> NovaCliAsync(string user, params string[] args) =>
        ExternalTool.RunAsync(ExternalTool.Require("/usr/bin/nova", "python3-novaclient"), args, Home, environment: OpenStackEnvironment(user), timeout: TimeSpan.FromSeconds(90));

    /// <summary>Runs <c>openstack ...</c> and expects it to succeed (the failure names the command, its output and the log's tail); returns stdout, trimmed.</summary>
    public async Task<string> OpenstackOkAsync(string user, params string[] args) =>
        Succeeded(await OpenstackAsync(user, args), "openstack", args);

    /// <summary>Runs <c>openstack ...</c> and expects it to fail; returns its stderr (where the client prints the API's message).</summary>
    public async Task<string> OpenstackFailsAsync(string user, params string[] args)
    {
        var run = await OpenstackAsync(user, args);
        run.ExitCode.Should().NotBe(0, $"openstack {string.Join(' ', args)} must fail: {run}");
        return run.Stderr;
    }

    /// <summary>Runs <c>nova ...</c> and expects it to succeed; returns stdout, trimmed.</summary>
    public async Task<string> NovaCliOkAsync(string user, params string[] args) =>
        Succeeded(await NovaCliAsync(user, args), "nova", args);

    private string Succeeded(ToolRun run, string tool, string[] args)
    {
        run.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)}: {run}\n{Cloud.Logs[^Math.Min(Cloud.Logs.Length, 4000)..]}");
        return run.Stdout.Trim();
    }

    /// <summary>The OS_* variables of the user in their project, for any OpenStack client.</summary>
    public Dictionary<string, string> OpenStackEnvironment(string user) => OpenStackEnvironment(user, Account(user).Password, Account(user).Project);

    /// <summary>The OS_* variables of any user in the project named.</summary>
    public Dictionary<string, string> OpenStackEnvironment(string user, string password, string project) =>
        new()
        {
            ["OS_AUTH_URL"] = $"{Cloud.KeystoneUrl}/v3",
            ["OS_USERNAME"] = user,
            ["OS_PASSWORD"] = password,
            ["OS_PROJECT_NAME"] = project,
            ["OS_USER_DOMAIN_NAME"] = "Default",
            ["OS_PROJECT_DOMAIN_NAME"] = "Default",
            ["OS_IDENTITY_API_VERSION"] = "3",
        };

    /// <summary>Runs a boto3 script with <c>ec2</c> bound to the user's client.</summary>
    public async Task<ToolRun> Boto3Async(string user, string script)
    {
        var python = ExternalTool.Require("/usr/bin/python3", "python3-boto3");
        var (access, secret) = await Cloud.Ec2KeysAsync(user);
        const string prelude = """
            import os, boto3, botocore.exceptions
            ec2 = boto3.client('ec2', endpoint_url=os.environ['EC2_URL'], region_name='nova',
                aws_access_key_id=os.environ['EC2_ACCESS_KEY'], aws_secret_access_key=os.environ['EC2_SECRET_KEY'])

            """;
        return await ExternalTool.RunAsync(python, ["-c", prelude + script], Home, environment: new Dictionary<string, string>
        {
            ["EC2_URL"] = Cloud.Ec2Url,
            ["EC2_ACCESS_KEY"] = access,
            ["EC2_SECRET_KEY"] = secret,
        }, timeout: TimeSpan.FromSeconds(90));
    }

    public static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    public async ValueTask DisposeAsync()
    {
        Glance.Dispose();
        _http.Dispose();
        await Cloud.DisposeAsync();
        if (_mysql is not null)
        {
            await _mysql.DisposeAsync();
        }
        _home.Dispose();
    }
}
