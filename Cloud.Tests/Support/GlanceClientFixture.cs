using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Base of the tests that drive the image API with the real Debian clients, <c>glance</c> (python3-glanceclient) and
/// <c>openstack</c> (python3-openstackclient): one <c>cloudd --roles=api,glance</c> per fixture, on SQLite or on MariaDB,
/// and the clients run in a home of their own as alice (project other, a plain member) or berendt (project testing, an
/// admin).
/// </summary>
public abstract class GlanceClientFixture(bool mariaDb)
{
    private readonly TempDir _home = new();
    private MySqlHarness? _mysql;

    protected ApiCloud Cloud { get; private set; } = null!;

    /// <summary>The clients' home: files to upload and downloads go here.</summary>
    protected string Home => _home.Path;

    /// <summary>The path of <c>glance</c>, found (or the test ignored, naming the package) before each test.</summary>
    protected string GlanceCli { get; private set; } = "";

    /// <summary>The path of <c>openstack</c>, found before each test.</summary>
    protected string OpenstackCli { get; private set; } = "";

    [OneTimeSetUp]
    public async Task StartCloudAsync()
    {
        _mysql = mariaDb ? new MySqlHarness() : null;
        Cloud = await ApiCloud.StartAsync(_mysql?.SqlConnection, "api,glance");
    }

    [OneTimeTearDown]
    public async Task StopCloudAsync()
    {
        await Cloud.DisposeAsync();
        if (_mysql is not null)
        {
            await _mysql.DisposeAsync();
        }
        _home.Dispose();
    }

    [SetUp]
    public void RequireClients()
    {
        GlanceCli = ExternalTool.Require("/usr/bin/glance", "python3-glanceclient");
        OpenstackCli = ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");
    }

    /// <summary>The clients' environment for alice, or for berendt when <paramref name="admin"/>.</summary>
    protected Dictionary<string, string> Rc(bool admin) => new()
    {
        ["OS_AUTH_URL"] = $"{Cloud.KeystoneUrl}/v3",
        ["OS_USERNAME"] = admin ? "berendt" : "alice",
        ["OS_PASSWORD"] = admin ? ApiCloud.AdminPassword : ApiCloud.UserPassword,
        ["OS_PROJECT_NAME"] = admin ? "testing" : "other",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    /// <summary>Runs a client as alice and expects it to succeed; returns its stdout.</summary>
    protected Task<string> RunAsync(string program, params string[] args) => RunAsAsync(false, program, args);

    /// <summary>Runs a client as alice or berendt and expects it to succeed; returns its stdout.</summary>
    protected async Task<string> RunAsAsync(bool admin, string program, params string[] args)
    {
        var run = await ExternalTool.RunAsync(program, args, Home, environment: Rc(admin), timeout: TimeSpan.FromSeconds(90));
        run.ExitCode.Should().Be(0, $"{Path.GetFileName(program)} {string.Join(' ', args)} failed: {run}");
        return run.Stdout;
    }

    /// <summary>Runs a client as alice or berendt whatever it answers (for the tests of refusals).</summary>
    protected Task<ToolRun> TryAsAsync(bool admin, string program, params string[] args) =>
        ExternalTool.RunAsync(program, args, Home, environment: Rc(admin), timeout: TimeSpan.FromSeconds(60));

    /// <summary>A file of random bytes in the clients' home.</summary>
    protected string RandomFile(string name, int bytes)
    {
        var path = Path.Combine(Home, name);
        File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    /// <summary>A value of glance's two-column property table.</summary>
    protected static string Field(string table, string name) =>
        table.Split('\n').Select(l => l.Split('|', StringSplitOptions.TrimEntries)).First(c => c.Length > 2 && c[1] == name)[2];
}
