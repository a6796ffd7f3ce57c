using System.IO.Compression;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The seed's credentials flow (4.5.4): <c>manage project zipfile</c>, unzip, <c>source novarc</c>, and the real
/// openstack and aws clients work with nothing else set.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class ProjectZipfileTests
{
    private ApiCloud _cloud = null!;
    private TempDir _creds = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ApiCloud.StartAsync();
        _creds = new TempDir();
        var written = (await _cloud.ManageAsync("project", "zipfile", "other", "alice", _creds.Path, $"--password={ApiCloud.UserPassword}")).Trim();
        written.Should().Be(Path.Combine(_creds.Path, "novacreds.zip"));
        ZipFile.ExtractToDirectory(written, _creds.Path);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        _creds.Dispose();
    }

    private async Task<ToolRun> SourcedAsync(string command) =>
        await ExternalTool.RunAsync("/bin/bash", ["-c", $"source {_creds.Path}/novarc && {command}"], Path.GetTempPath(), environment: new Dictionary<string, string> { ["HOME"] = _creds.Path });

    [Test]
    public void The_zip_holds_the_seeds_four_files()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(_creds.Path, "novacreds.zip"));

        zip.Entries.Select(e => e.FullName).Should().BeEquivalentTo("novarc", "pk.pem", "cert.pem", "cacert.pem");
    }

    [Test]
    public async Task Openstack_token_issue_works_after_sourcing_novarc()
    {
        ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");

        var result = await SourcedAsync("/usr/bin/openstack token issue -f value -c project_id");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Trim().Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Test]
    public async Task Aws_ec2_works_after_sourcing_novarc_in_the_projects_name()
    {
        ExternalTool.Require("/usr/bin/aws", "awscli");

        var result = await SourcedAsync("AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/aws --endpoint-url \"$EC2_URL\" ec2 describe-availability-zones --output text");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("nova");
    }

    [Test]
    public async Task The_certificate_is_signed_by_the_projects_ca()
    {
        var openssl = ExternalTool.Require("/usr/bin/openssl", "openssl");

        var result = await ExternalTool.RunAsync(openssl, ["verify", "-CAfile", Path.Combine(_creds.Path, "cacert.pem"), Path.Combine(_creds.Path, "cert.pem")], Path.GetTempPath(), environment: new Dictionary<string, string>());

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain(": OK");
    }

    [Test]
    public async Task A_user_outside_the_project_gets_no_zipfile()
    {
        var result = await CloudProcess.RunAsync(["manage", "project", "zipfile", "testing", "alice", _creds.Path, .. _cloud.Flags]);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be("cloudd: error: user alice is not a member of project testing\n");
    }
}
