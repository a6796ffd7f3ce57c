using System.Net;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The api role's EC2 endpoint driven by the real awscli and boto3 with keys from <c>manage user exports</c>.</summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Ec2ClientTests
{
    private ApiCloud _cloud = null!;
    private string _aws = "";

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [SetUp]
    public void RequireClient() => _aws = ExternalTool.Require("/usr/bin/aws", "awscli");

    private async Task<ToolRun> AwsAsync(string accessKey, string secretKey, params string[] args) =>
        await ExternalTool.RunAsync(_aws, ["ec2", .. args, "--endpoint-url", _cloud.Ec2Url, "--region", "nova", "--output", "text"], Path.GetTempPath(), environment: new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKey,
            ["AWS_SECRET_ACCESS_KEY"] = secretKey,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });

    [Test]
    public async Task Describe_regions_and_availability_zones_work_with_the_users_keys()
    {
        var (access, secret) = await _cloud.Ec2KeysAsync("alice");

        var regions = await AwsAsync(access, secret, "describe-regions");
        var zones = await AwsAsync(access, secret, "describe-availability-zones");

        regions.ExitCode.Should().Be(0, regions.Stderr);
        regions.Stdout.Should().Contain("nova").And.Contain("/services/Cloud");
        zones.ExitCode.Should().Be(0, zones.Stderr);
        zones.Stdout.Should().Contain("nova");
    }

    [Test]
    public async Task A_wrong_secret_gets_SignatureDoesNotMatch_and_an_unknown_key_AuthFailure()
    {
        var (access, _) = await _cloud.Ec2KeysAsync("alice");

        var wrong = await AwsAsync(access, "not-the-secret", "describe-regions");
        var unknown = await AwsAsync("no-such-key", "whatever", "describe-regions");

        wrong.ExitCode.Should().NotBe(0);
        wrong.Stderr.Should().Contain("(SignatureDoesNotMatch)");
        unknown.Stderr.Should().Contain("(AuthFailure)");
    }

    [Test]
    public async Task Boto3_with_signature_version_2_is_accepted()
    {
        var python = ExternalTool.Require("/usr/bin/python3", "python3");
        var (access, secret) = await _cloud.Ec2KeysAsync("berendt");
        const string script = """
            import os, boto3, botocore.config
            ec2 = boto3.client('ec2', endpoint_url=os.environ['EC2_URL'], region_name='nova',
                aws_access_key_id=os.environ['EC2_ACCESS_KEY'], aws_secret_access_key=os.environ['EC2_SECRET_KEY'],
                config=botocore.config.Config(signature_version='v2'))
            print(ec2.describe_regions()['Regions'][0]['RegionName'])
            """;

        var result = await ExternalTool.RunAsync(python, ["-c", script], Path.GetTempPath(), environment: new Dictionary<string, string>
        {
            ["EC2_URL"] = _cloud.Ec2Url,
            ["EC2_ACCESS_KEY"] = access,
            ["EC2_SECRET_KEY"] = secret,
        });

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Trim().Should().Be("nova");
    }

    [Test]
    public async Task Unsigned_or_unknown_requests_get_ec2_error_xml_never_a_500()
    {
        using var http = new HttpClient();

        var unsigned = await http.PostAsync(_cloud.Ec2Url, new StringContent("Action=DescribeRegions&Version=2016-11-15", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var elsewhere = await http.GetAsync(_cloud.Ec2Url.Replace("/services/Cloud", "/nothing", StringComparison.Ordinal));

        unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await unsigned.Content.ReadAsStringAsync()).Should().Contain("<Code>AuthFailure</Code>").And.Contain("<RequestID>req-");
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await elsewhere.Content.ReadAsStringAsync()).Should().Contain("<Error>");
    }

    [Test]
    public async Task Ec2_secrets_never_reach_the_log()
    {
        var (access, secret) = await _cloud.Ec2KeysAsync("alice");
        await AwsAsync(access, secret, "describe-regions");

        _cloud.Logs.Should().Contain("POST /services/Cloud 200").And.NotContain(secret);
    }
}
