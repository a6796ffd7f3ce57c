using Cloud.Modules.Identity.Ec2;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The verifier against requests that Debian 12's awscli, boto3 and boto2 really signed and sent to a loopback
/// endpoint: the only independent check that the canonicalisation matches theirs byte for byte.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class Ec2RealClientSignatureTests
{
    private const string AwsCli = "awscli";
    private const string Boto3V4 = "boto3";
    private const string Boto3V2 = "boto3 SigV2";
    private const string Boto3Presigned = "boto3 presigned";
    private const string Boto3PresignedAwkward = "boto3 presigned, awkward filter values";
    private const string Boto2 = "boto2";

    // Nova's access:project key form and a secret with the characters that break naive encoders.
    private static readonly Ec2Secret Secret = new("admin:demo", "s3cr3t/+=key", "user-1", "project-1");
    private static readonly Dictionary<string, CapturedRequest> Captures = [];

    private static IEnumerable<string> Clients => [AwsCli, Boto3V4, Boto3V2, Boto3Presigned, Boto3PresignedAwkward, Boto2];

    [OneTimeSetUp]
    public static async Task CaptureRealClientsAsync()
    {
        Captures.Clear();
        await using var endpoint = new CapturingEc2Endpoint();
        var environment = new Dictionary<string, string>
        {
            ["CLOUDD_EC2_URL"] = endpoint.Url,
            ["CLOUDD_EC2_PORT"] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLOUDD_KEY"] = Secret.AccessKey,
            ["CLOUDD_SECRET"] = Secret.SecretKey,
        };

        if (Ec2Clients.AwsCliOrNull is { } aws)
        {
            var run = RunAwsCli(aws, endpoint.Url, Secret.SecretKey);
            run.ExitCode.Should().Be(0, run.Stderr);
            run.Stdout.Should().Contain("nova");
            Captures[AwsCli] = endpoint.Requests.Last();
        }
        if (Ec2Clients.Boto3PythonOrNull is { } python3)
        {
            var before = endpoint.Requests.Count;
            var run = Ec2Clients.Run(python3, ["-"], environment, Ec2ClientScripts.Boto3);
            run.ExitCode.Should().Be(0, run.Stderr);
            var requests = endpoint.Requests.Skip(before).ToList();
            requests.Should().HaveCount(4, "boto3 sends four requests and none is retried");
            (Captures[Boto3V4], Captures[Boto3V2], Captures[Boto3Presigned], Captures[Boto3PresignedAwkward]) =
                (requests[0], requests[1], requests[2], requests[3]);
        }
        if (Ec2Clients.Boto2PythonOrNull is { } python2)
        {
            var run = Ec2Clients.Run(python2, ["-"], environment, Ec2ClientScripts.Boto2);
            run.ExitCode.Should().Be(0, run.Stderr);
            Captures[Boto2] = endpoint.Requests.Last();
        }
    }

    [TestCaseSource(nameof(Clients))]
    public void A_real_client_request_is_accepted_with_the_right_secret(string client)
    {
        var result = NewVerifier().Verify(Capture(client).ToEc2Request(), Lookup);

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
        result.Secret.Should().Be(Secret);
        result.Action.Should().Be("DescribeRegions");
        result.SignatureVersion.Should().Be(client == Boto3V2 ? 2 : 4);
    }

    [TestCaseSource(nameof(Clients))]
    public void A_real_client_request_is_refused_with_a_wrong_secret(string client)
    {
        var result = NewVerifier().Verify(Capture(client).ToEc2Request(), _ => Secret with { SecretKey = "not-the-secret" });

        Refused(result, Ec2ErrorCodes.SignatureDoesNotMatch, 403);
        result.Message.Should().Be("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    [TestCaseSource(nameof(Clients))]
    public void A_real_client_request_with_an_unknown_access_key_is_refused(string client)
    {
        var result = NewVerifier().Verify(Capture(client).ToEc2Request(), _ => null);

        Refused(result, Ec2ErrorCodes.AuthFailure, 401);
    }

    [TestCaseSource(nameof(Clients))]
    public void A_repeated_real_client_request_within_its_window_is_accepted_as_on_aws(string client)
    {
        var verifier = NewVerifier();
        var request = Capture(client).ToEc2Request();

        verifier.Verify(request, Lookup).Succeeded.Should().BeTrue();
        verifier.Verify(Capture(client).ToEc2Request(), Lookup).Succeeded.Should().BeTrue();
    }

    [TestCaseSource(nameof(Clients))]
    public void A_real_client_request_with_a_tampered_parameter_is_refused(string client)
    {
        var result = NewVerifier().Verify(Capture(client).Tampered("DescribeRegions", "DescribeInstances"), Lookup);

        Refused(result, Ec2ErrorCodes.SignatureDoesNotMatch, 403);
    }

    [TestCaseSource(nameof(Clients))]
    public void A_real_client_request_presented_20_minutes_later_has_expired(string client)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        clock.Advance(TimeSpan.FromMinutes(20));

        var result = new Ec2SignatureVerifier(clock).Verify(Capture(client).ToEc2Request(), Lookup);

        Refused(result, Ec2ErrorCodes.RequestExpired, 400);
    }

    [Test]
    public void Awscli_signs_with_the_region_it_is_given_and_service_ec2()
    {
        var authorization = Capture(AwsCli).Header("Authorization");

        authorization.Should().MatchRegex(
            @"^AWS4-HMAC-SHA256 Credential=admin:demo/\d{8}/nova/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$");
        Capture(AwsCli).Method.Should().Be("POST");
        Capture(AwsCli).Target.Should().Be("/services/Cloud");
        Capture(AwsCli).BodyText.Should().Be("Action=DescribeRegions&Version=2016-11-15");
    }

    [Test]
    public void Boto2_signs_with_a_scope_derived_from_the_host_name()
    {
        var authorization = Capture(Boto2).Header("Authorization");

        authorization.Should().MatchRegex(@"^AWS4-HMAC-SHA256 Credential=admin:demo/\d{8}/0/127/aws4_request,SignedHeaders=host;x-amz-date,Signature=[0-9a-f]{64}$");
        Capture(Boto2).Target.Should().Be("/services/Cloud/", "boto2 adds a trailing slash");
    }

    [Test]
    public async Task Awscli_prints_the_error_code_and_message_of_a_refused_request()
    {
        var aws = Ec2Clients.AwsCliOrNull ?? Skip("awscli");
        var verifier = new Ec2SignatureVerifier();
        await using var endpoint = new CapturingEc2Endpoint(request =>
        {
            var result = verifier.Verify(request.ToEc2Request(), Lookup);
            return result.Succeeded
                ? (200, CapturingEc2Endpoint.DescribeRegionsResponse("http://127.0.0.1/services/Cloud"))
                : (result.HttpStatus, Ec2ErrorResponse.Build(result, "req-test"));
        });

        var accepted = RunAwsCli(aws, endpoint.Url, Secret.SecretKey);
        var refused = RunAwsCli(aws, endpoint.Url, "wrong-secret");

        accepted.ExitCode.Should().Be(0, accepted.Stderr);
        refused.ExitCode.Should().BeOneOf([254, 255], "awscli 2 exits 254 on a service error, awscli 1 255");
        refused.Stderr.Trim().Should().Be("An error occurred (SignatureDoesNotMatch) when calling the DescribeRegions operation: "
            + "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static (int ExitCode, string Stdout, string Stderr) RunAwsCli(string aws, string url, string secretKey) =>
        Ec2Clients.Run(aws, ["ec2", "describe-regions", "--endpoint-url", url, "--region", "nova", "--output", "json"],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = Secret.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = secretKey });

    private static CapturedRequest Capture(string client)
    {
        if (!Captures.TryGetValue(client, out var request))
        {
            Skip(client switch { AwsCli => "awscli", Boto2 => "python3-boto", _ => "python3-boto3" });
        }
        return request!;
    }

    private static string Skip(string package)
    {
        Ec2Clients.Missing(package);
        return "";
    }

    private static Ec2SignatureVerifier NewVerifier() => new(new ManualClock(DateTimeOffset.UtcNow));

    private static Ec2Secret? Lookup(string accessKey) => accessKey == Secret.AccessKey ? Secret : null;

    private static void Refused(Ec2VerificationResult result, string code, int status)
    {
        result.Succeeded.Should().BeFalse();
        result.ErrorCode.Should().Be(code, result.Message);
        result.HttpStatus.Should().Be(status);
        result.Message.Should().NotContain(Secret.SecretKey);
    }
}
