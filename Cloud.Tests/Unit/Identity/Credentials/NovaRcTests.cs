using Cloud.Modules.Identity.Credentials;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity.Credentials;

public sealed class NovaRcTests
{
    // Everything a shell could misread: quotes, expansions, command substitution, backslashes, a newline.
    private const string Nasty = "it's $HOME \\ \"q\" $(touch pwned) `touch pwned2`; touch pwned3\n2nd line\\";

    /// <summary>The seed's user, project and keys (4.5.1), for every credentials test.</summary>
    internal static readonly NovaRcSettings Seed = new()
    {
        User = "berendt",
        Project = "testing",
        Ec2AccessKey = "f0780055-ddb1-4216-9235-ad920f585603:testing",
        Ec2SecretKey = "e50ace36-c617-4801-8cc7-0f7b890c6118",
        Ec2Url = "http://ares:8773/services/Cloud",
        S3Url = "http://ares:3333",
        AuthUrl = "http://ares:5000/v3",
        NovaUrl = "http://ares:8774/v1.1/",
    };

    [Test]
    public async Task Sourced_from_another_directory_it_exports_exactly_the_given_values()
    {
        using var dir = new TempDir();
        var settings = Seed with { Ec2SecretKey = Nasty, Password = Nasty + "pw", Project = "o'project $x" };
        var novarc = dir.File("my creds/novarc", NovaRc.Render(settings));
        var keys = Path.GetDirectoryName(novarc)!;

        var env = await SourceAsync(novarc, dir.Path);

        env.Should().Contain(new Dictionary<string, string>
        {
            ["EC2_ACCESS_KEY"] = "f0780055-ddb1-4216-9235-ad920f585603:testing",
            ["EC2_SECRET_KEY"] = Nasty,
            ["EC2_URL"] = "http://ares:8773/services/Cloud",
            ["S3_URL"] = "http://ares:3333",
            ["EC2_USER_ID"] = "42",
            ["EC2_PRIVATE_KEY"] = Path.Combine(keys, "pk.pem"),
            ["EC2_CERT"] = Path.Combine(keys, "cert.pem"),
            ["NOVA_CERT"] = Path.Combine(keys, "cacert.pem"),
            ["EUCALYPTUS_CERT"] = Path.Combine(keys, "cacert.pem"),
            ["AWS_ACCESS_KEY_ID"] = "f0780055-ddb1-4216-9235-ad920f585603:testing",
            ["AWS_SECRET_ACCESS_KEY"] = Nasty,
            ["AWS_DEFAULT_REGION"] = "nova",
            ["AWS_ENDPOINT_URL_EC2"] = "http://ares:8773/services/Cloud",
            ["NOVA_API_KEY"] = "f0780055-ddb1-4216-9235-ad920f585603:testing",
            ["NOVA_USERNAME"] = "berendt",
            ["NOVA_PROJECT_ID"] = "o'project $x",
            ["NOVA_URL"] = "http://ares:8774/v1.1/",
            ["OS_AUTH_URL"] = "http://ares:5000/v3",
            ["OS_IDENTITY_API_VERSION"] = "3",
            ["OS_USERNAME"] = "berendt",
            ["OS_PROJECT_NAME"] = "o'project $x",
            ["OS_USER_DOMAIN_NAME"] = "Default",
            ["OS_PROJECT_DOMAIN_NAME"] = "Default",
            ["OS_REGION_NAME"] = "RegionOne",
            ["OS_PASSWORD"] = Nasty + "pw",
        });
        Directory.EnumerateFileSystemEntries(dir.Path, "pwned*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Test]
    public async Task A_user_name_is_never_run_as_a_command_even_in_the_password_check()
    {
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed with { User = Nasty }));

        var env = await SourceAsync(novarc, dir.Path, new() { ["OS_USERNAME"] = Nasty, ["OS_PASSWORD"] = "kept" });

        env["OS_USERNAME"].Should().Be(Nasty);
        env["NOVA_USERNAME"].Should().Be(Nasty);
        env["OS_PASSWORD"].Should().Be("kept");
        Directory.EnumerateFileSystemEntries(dir.Path, "pwned*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Test]
    public async Task A_symlink_to_novarc_still_finds_the_key_files_beside_the_real_file()
    {
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed));
        var link = Path.Combine(dir.Path, ".novarc");
        File.CreateSymbolicLink(link, novarc);

        var env = await SourceAsync(link, "/");

        env["EC2_PRIVATE_KEY"].Should().Be(Path.Combine(dir.Path, "creds", "pk.pem"));
    }

    [Test]
    public async Task Without_a_password_or_a_terminal_sourcing_asks_nothing_and_leaves_OS_PASSWORD_unset()
    {
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed));

        // -u as well: a script with nounset on must be able to source the file.
        var env = await SourceAsync(novarc, dir.Path, options: "-u");

        env.Should().NotContainKey("OS_PASSWORD");
        env["OS_USERNAME"].Should().Be("berendt");
    }

    [Test]
    public async Task A_password_exported_for_the_same_user_is_kept_and_one_for_another_user_is_dropped()
    {
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed));

        (await SourceAsync(novarc, dir.Path, new() { ["OS_PASSWORD"] = "mine" }))["OS_PASSWORD"].Should().Be("mine");
        (await SourceAsync(novarc, dir.Path, new() { ["OS_USERNAME"] = "berendt", ["OS_PASSWORD"] = "mine" }))["OS_PASSWORD"].Should().Be("mine");
        (await SourceAsync(novarc, dir.Path, new() { ["OS_USERNAME"] = "admin", ["OS_PASSWORD"] = "admins" })).Should().NotContainKey("OS_PASSWORD");
    }

    [Test]
    public async Task Stale_ids_and_tokens_of_another_login_are_cleared()
    {
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed));

        var env = await SourceAsync(novarc, dir.Path, new() { ["OS_PROJECT_ID"] = "p1", ["OS_TOKEN"] = "t", ["OS_CLOUD"] = "c", ["OS_TENANT_NAME"] = "x" });

        env.Keys.Should().NotContain(["OS_PROJECT_ID", "OS_TOKEN", "OS_CLOUD", "OS_TENANT_NAME"]);
    }

    [Test]
    public async Task At_a_terminal_sourcing_asks_for_the_password_without_echoing_it()
    {
        var bash = ExternalTool.Require("bash", "bash");
        var script = ExternalTool.Require("script", "bsdutils");
        using var dir = new TempDir();
        var novarc = dir.File("creds/novarc", NovaRc.Render(Seed));
        var probe = dir.File("probe.sh", $". {NovaRc.Quote(novarc)}\nprintf 'password=[%s]\\n' \"$OS_PASSWORD\"\n");

        // script(1) gives bash a pseudo-terminal and types our stdin into it.
        var run = await ExternalTool.RunAsync(script, ["-qec", $"{bash} {probe}", "/dev/null"], dir.Path, "se cr$et\n");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("OpenStack password for berendt in project testing: ").And.Contain("password=[se cr$et]");
    }

    [Test]
    public void Without_a_nova_url_there_is_no_NOVA_URL_line_and_regions_can_be_named()
    {
        var text = NovaRc.Render(Seed with { NovaUrl = null, RegionName = "north", Ec2RegionName = "eu-1" });

        text.Should().NotContain("NOVA_URL");
        text.Should().Contain("export OS_REGION_NAME='north'\n").And.Contain("export AWS_DEFAULT_REGION='eu-1'\n");
        text.Should().NotContain("\r");
    }

    [TestCase("plain", "'plain'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    [TestCase("$HOME \\ \"", "'$HOME \\ \"'")]
    public void Quote_makes_one_single_quoted_bash_word(string value, string quoted) =>
        NovaRc.Quote(value).Should().Be(quoted);

    [Test]
    public void A_value_with_NUL_is_refused() =>
        ((Action)(() => NovaRc.Render(Seed with { Password = "a\0b" }))).Should().Throw<ArgumentException>().WithMessage("*NUL*");

    [Test]
    public void The_settings_never_print_the_secret_or_the_password() =>
        (Seed with { Password = "pw-123" }).ToString().Should().NotContain("pw-123").And.NotContain(Seed.Ec2SecretKey).And.Contain("berendt");

    /// <summary>Sources <paramref name="novarc"/> in bash from <paramref name="workingDirectory"/>, stdin not a terminal, and returns the exported environment.</summary>
    private static async Task<Dictionary<string, string>> SourceAsync(
        string novarc, string workingDirectory, Dictionary<string, string>? environment = null, string options = "")
    {
        var bash = ExternalTool.Require("bash", "bash");
        string[] arguments = options.Length == 0
            ? ["-c", "source \"$1\" && env -0", "bash", novarc]
            : [options, "-c", "source \"$1\" && env -0", "bash", novarc];
        var run = await ExternalTool.RunAsync(bash, arguments, workingDirectory, environment: environment, timeout: TimeSpan.FromSeconds(20));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stderr.Should().BeEmpty();
        return run.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }
}
