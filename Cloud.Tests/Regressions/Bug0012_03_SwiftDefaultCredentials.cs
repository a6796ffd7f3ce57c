using System.Text.RegularExpressions;
using Cloud.Host;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel.Cache;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Swift.Proxy;
using Cloud.Modules.Swift.Storage;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 3: the swift proxy came up on 0.0.0.0:8080 with the well-known user system:root/testpass (and
/// storage.conf kept glance's images under it), and the unauthenticated storage servers listened on every interface.
/// Now there is no default user, the samples' CHANGE_ME is refused, and the storage servers stay on one address.
/// </summary>
[Category("Integration")]
public sealed partial class Bug0012_03_SwiftDefaultCredentials
{
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [A-Z]+ ")]
    private static partial Regex LogLine();

    private static string SampleConfig(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "sample-configs", name);

    /// <summary>Runs cloudd with <paramref name="args"/> on a fresh, synced state directory, expecting it to stop.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TempDir dir, params string[] args)
    {
        string[] state = [$"--state_path={dir.Path}", $"--swift_proxy_bind=127.0.0.1:{FreePort.Next()}", "--swift_storage_listen=127.0.0.1",
            $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}"];
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. state])).ExitCode.Should().Be(0);
        return await CloudProcess.RunAsync([.. state, .. args]);
    }

    private static void ShouldBeOneLineNaming((int ExitCode, string Stdout, string Stderr) run, string flag)
    {
        run.ExitCode.Should().Be(2, run.Stderr);
        // The console log ("starting", "cannot start: ...") is beside it; the error itself is one line.
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !LogLine().IsMatch(l));
        errors.Should().ContainSingle(run.Stderr).Which.Should().StartWith("cloudd: error: ").And.Contain(flag);
        (run.Stdout + run.Stderr).Should().NotContain("   at ", "an operator error is one line, never a stack trace");
    }

    [Test]
    public void There_is_no_default_tempauth_user_and_the_storage_servers_default_to_loopback()
    {
        new SwiftProxyFlags().SwiftTempauthUsers.Should().BeEmpty();
        new SwiftProxyFlags().SwiftKeystoneAuth.Should().BeFalse();
        new SwiftStorageFlags().SwiftStorageListen.Should().Be("127.0.0.1");
    }

    [Test]
    public async Task A_proxy_without_users_refuses_to_start_with_one_line_naming_the_flag()
    {
        using var dir = new TempDir();

        var run = await RunAsync(dir, "--roles=swift-proxy");

        ShouldBeOneLineNaming(run, "--swift_tempauth_users");
    }

    [Test]
    public async Task The_samples_placeholder_key_is_refused_at_start_and_never_printed_back()
    {
        using var dir = new TempDir();

        var run = await RunAsync(dir, "--roles=swift-proxy", "--swift_tempauth_users=system:root:CHANGE_ME:.admin,other:bob:s3cr3t-key:.admin");

        ShouldBeOneLineNaming(run, "--swift_tempauth_users");
        run.Stderr.Should().Contain("system:root").And.Contain("CHANGE_ME").And.NotContain("s3cr3t-key");
    }

    [Test]
    public void The_storage_sample_carries_the_placeholder_for_the_proxy_and_for_glance_and_both_are_refused()
    {
        var flags = new FlagFileParser(new FlagRegistry(ModuleCatalog.FlagTypes)).Parse([SampleConfig("storage.conf")], []);

        flags["swift_tempauth_users"].Should().Contain(":CHANGE_ME").And.NotContain("testpass");
        flags["swift_store_key"].Should().Be("CHANGE_ME");
        flags["swift_storage_listen"].Should().NotBe("0.0.0.0");
        var tempauth = () => new TempAuth(flags["swift_tempauth_users"]!, 60, new InProcessCache(TimeProvider.System), TimeProvider.System);
        tempauth.Should().Throw<FlagException>().WithMessage("*CHANGE_ME*");
        var glance = () => ImageStores.FromFlags(
            new GlanceFlags { DefaultStore = "swift" },
            new GlanceSwiftStoreFlags { SwiftStoreUser = flags["swift_store_user"]!, SwiftStoreKey = flags["swift_store_key"]! },
            new HttpClient());
        glance.Should().Throw<FlagException>().WithMessage("--swift_store_key*CHANGE_ME*");
    }

    [Test]
    public async Task The_storage_servers_refuse_every_interface_unless_the_operator_opts_in()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "devices"));

        var open = await RunAsync(dir, "--roles=swift-storage", "--swift_storage_listen=0.0.0.0");
        var v6 = await RunAsync(dir, "--roles=swift-storage", "--swift_storage_listen=::");

        ShouldBeOneLineNaming(open, "--swift_storage_listen_any_address");
        ShouldBeOneLineNaming(v6, "--swift_storage_listen=::");
    }

    [Test]
    public async Task A_proxy_taking_keystone_tokens_starts_without_users_and_knows_no_testpass()
    {
        using var dir = new TempDir();
        var port = FreePort.Next();
        string[] flags = [$"--state_path={dir.Path}", $"--swift_dir={dir.Path}", $"--swift_proxy_bind=127.0.0.1:{port}", "--swift_keystone_auth"];
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. flags])).ExitCode.Should().Be(0);
        await using var proxy = CloudProcess.Start(["--roles=swift-proxy", .. flags]);
        using var http = new HttpClient();
        await Poller.UntilAsync(() => SwiftCluster.AnswersAsync(http, $"http://127.0.0.1:{port}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");

        using var auth = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/auth/v1.0");
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using var response = await http.SendAsync(auth);

        ((int)response.StatusCode).Should().Be(401, proxy.Output);
    }
}
