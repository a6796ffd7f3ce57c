using Cloud.Host;
using Cloud.Modules.Kernel.Flags;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class FlagFileParserTests
{
    private static readonly FlagRegistry Registry = new(ModuleCatalog.FlagTypes);
    private TempDir _dir = null!;

    [SetUp]
    public void CreateDir() => _dir = new TempDir();

    [TearDown]
    public void DeleteDir() => _dir.Dispose();

    private static FlagValues Parse(IEnumerable<string> files, params string[] tokens) => new FlagFileParser(Registry).Parse(files, tokens);

    private static string SampleConfig(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "sample-configs", name);

    [Test]
    public void The_seeds_nova_conf_parses_with_the_seeds_values()
    {
        var flags = Parse([SampleConfig("nova.conf")]);

        flags["daemonize"].Should().Be("true");
        flags["verbose"].Should().Be("true");
        flags["flat_injected"].Should().Be("false");
        flags["sql_connection"].Should().Be("mysql://root:testing@deimos/nova");
        flags["network_manager"].Should().Be("nova.network.manager.FlatDHCPManager", "the last value wins");
        flags["network_size"].Should().Be("5000");
        flags["glance_api_servers"].Should().Be("chronos:9292");
    }

    [Test]
    public void Every_flag_the_seed_uses_is_declared()
    {
        string[] seed =
        [
            "daemonize", "dhcpbridge_flagfile", "dhcpbridge", "logdir", "state_path", "verbose", "sql_connection",
            "s3_host", "rabbit_host", "ec2_url", "cc_host", "network_manager", "fixed_range", "network_size",
            "libvirt_type", "dhcp_domain", "flat_network_dhcp_start", "flat_injected", "image_service", "glance_api_servers",
        ];
        seed.Where(name => !Registry.TryGet(name, out _)).Should().BeEmpty();
    }

    [Test]
    public void Every_sample_config_parses()
    {
        var files = Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "sample-configs"), "*.conf");
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            var parse = () => Parse([file]);
            parse.Should().NotThrow(file);
        }
    }

    [Test]
    public void Nested_flagfiles_resolve_relative_to_the_including_file_and_interpolate()
    {
        var flags = Parse([SampleConfig("compute.conf")]);

        flags["host"].Should().Be("brontes");
        flags["rabbit_host"].Should().Be("deimos");
        flags["ec2_url"].Should().Be("http://ares:8773/services/Cloud");
        flags.Settings["host"].Origin.Should().EndWith("compute.conf:3");
    }

    [Test]
    public void The_command_line_overrides_flag_files_wherever_it_names_them()
    {
        var file = _dir.File("a.conf", "--report_interval=5\n--verbose\n");

        var flags = Parse([], "--report_interval=7", $"--flagfile={file}", "--noverbose");

        flags["report_interval"].Should().Be("7");
        flags["verbose"].Should().Be("false");
        flags.Settings["report_interval"].Origin.Should().Be("command line");
    }

    [Test]
    public void Defaults_interpolate_other_flags()
    {
        Parse([], "--state_path=/srv/cloud")["sql_connection"].Should().Be("sqlite:////srv/cloud/cloudd.sqlite");
        Parse([])["ec2_url"].Should().Be("http://127.0.0.1:8773/services/Cloud");
    }

    [Test]
    public void Dollar_dollar_is_a_literal_dollar() =>
        Parse([], "--rabbit_password=pa$$word")["rabbit_password"].Should().Be("pa$word");

    [TestCase("--report_intervall=5", "unknown flag --report_intervall")]
    [TestCase("--report_interval=often", "--report_interval takes an integer, not 'often'")]
    [TestCase("--verbose=perhaps", "--verbose takes a boolean")]
    [TestCase("--sql_connection", "--sql_connection needs a value")]
    [TestCase("report_interval=5", "expected --name=value, got 'report_interval=5'")]
    [TestCase("--s3_host=$nosuchflag", "'$nosuchflag' refers to an unknown flag")]
    [TestCase("--s3_host=${cc_host", "unterminated")]
    [TestCase("--s3_host=$s3_host", "$s3_host refers to itself")]
    [TestCase("--nohost", "unknown flag --nohost")]
    public void A_bad_line_is_an_error_naming_the_file_and_line(string line, string message)
    {
        var file = _dir.File("bad.conf", $"# comment\n\n--verbose\n{line}\n");

        var parse = () => Parse([file]);

        parse.Should().Throw<FlagException>().Which.Message.Should().StartWith($"{file}:4: ").And.Contain(message);
    }

    [Test]
    public void A_missing_nested_flagfile_names_the_line_that_includes_it()
    {
        var file = _dir.File("top.conf", "--verbose\n--flagfile=missing.conf\n");

        var parse = () => Parse([file]);

        parse.Should().Throw<FlagException>().WithMessage($"{file}:2: flagfile {Path.Combine(_dir.Path, "missing.conf")} does not exist");
    }

    [Test]
    public void A_missing_flagfile_on_the_command_line_is_an_error() =>
        ((Action)(() => Parse(["/nonexistent/cloudd.conf"]))).Should().Throw<FlagException>()
            .WithMessage("command line: flagfile /nonexistent/cloudd.conf does not exist");

    [Test]
    public void A_flagfile_that_includes_itself_is_an_error()
    {
        var file = _dir.File("loop.conf", "--flagfile=loop.conf\n");

        ((Action)(() => Parse([file]))).Should().Throw<FlagException>().Which.Message.Should().Contain("includes itself");
    }

    [Test]
    public void A_bad_value_on_the_command_line_names_the_command_line() =>
        ((Action)(() => Parse([], "--service_down_time=x"))).Should().Throw<FlagException>()
            .WithMessage("command line: --service_down_time takes an integer, not 'x'");

    [Test]
    public void Every_flag_has_help_and_a_default_that_is_valid_for_its_type()
    {
        foreach (var flag in Registry.All)
        {
            flag.Help.Should().NotBeNullOrWhiteSpace(flag.Name);
            if (flag.DefaultValue is { } d && !d.Contains('$'))
            {
                flag.Normalize(d, out var error).Should().NotBeNull($"--{flag.Name}'s default: {error}");
            }
        }
    }

    [Test]
    public void Secrets_are_masked_when_shown()
    {
        Registry["rabbit_password"].Display("s3cret").Should().Be("***");
        Registry["sql_connection"].Display("mysql://root:testing@deimos/nova").Should().Be("mysql://root:***@deimos/nova");
    }
}
