using System.Globalization;
using Cloud.Modules.Identity.Ec2;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using static Cloud.Tests.Unit.Identity.Ec2TestRequests;

namespace Cloud.Tests.Unit.Identity;

public sealed class Ec2SignatureVerifierTests
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string S3DocsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset S3DocsTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    // AWS's SigV4 test suite (get-vanilla, get-vanilla-query-order-key-case, post-vanilla): region us-east-1, service "service".
    [TestCase("GET", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [TestCase("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [TestCase("POST", null, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void The_aws_sigv4_test_suite_vanilla_requests_verify(string method, string? query, string signature)
    {
        var request = Ec2Request.FromRaw(method, "example.amazonaws.com", "/", query,
        [
            new("Host", "example.amazonaws.com"),
            new("X-Amz-Date", "20150830T123600Z"),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"),
        ], ReadOnlyMemory<byte>.Empty);

        var result = Verifier(SuiteTime).Verify(request, key => key == "AKIDEXAMPLE" ? new Ec2Secret(key, SuiteSecret) : null);

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
        result.SignatureVersion.Should().Be(4);
    }

    [Test]
    public void The_get_vanilla_string_to_sign_is_the_documented_one()
    {
        var request = Ec2Request.FromRaw("GET", "example.amazonaws.com", "/", null,
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")], ReadOnlyMemory<byte>.Empty);

        var canonical = SigV4Canonicalizer.CanonicalRequest(request, "host;x-amz-date", SigV4Canonicalizer.HashHex([]));

        SigV4Canonicalizer.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical).Should().Be(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    }

    // Amazon S3 API Reference, "Authenticating Requests: Using Query Parameters": a presigned GET with UNSIGNED-PAYLOAD.
    [Test]
    public void The_s3_documented_presigned_url_verifies()
    {
        var request = Ec2Request.FromRaw("GET", "examplebucket.s3.amazonaws.com", "/test.txt",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            [new("Host", "examplebucket.s3.amazonaws.com")], ReadOnlyMemory<byte>.Empty);

        var result = Verifier(S3DocsTime.AddHours(23)).Verify(request, key => new Ec2Secret(key, S3DocsSecret));

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
    }

    // Amazon S3 API Reference, "Signature Calculations for the Authorization Header": GET Object with a Range header.
    [Test]
    public void The_s3_documented_get_object_with_x_amz_content_sha256_verifies()
    {
        var request = Ec2Request.FromRaw("GET", "examplebucket.s3.amazonaws.com", "/test.txt", null,
        [
            new("Host", "examplebucket.s3.amazonaws.com"),
            new("Range", "bytes=0-9"),
            new("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            new("x-amz-date", "20130524T000000Z"),
            new("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        ], ReadOnlyMemory<byte>.Empty);

        var result = Verifier(S3DocsTime).Verify(request, key => new Ec2Secret(key, S3DocsSecret));

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
    }

    [TestCase("AWS4-HMAC-SHA256", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 garbage", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 =x, Credential=admin:demo/20261125/nova/ec2/aws4_request", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/2026-11-25/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws5_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125//ec2/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=a/20261125/n/e/aws4_request, Credential=b/20261125/n/e/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=x-amz-date, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host;;x-amz-date, Signature=ab", Ec2ErrorCodes.IncompleteSignature)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261124/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.SignatureDoesNotMatch)]
    [TestCase("AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=not-hex", Ec2ErrorCodes.SignatureDoesNotMatch)]
    [TestCase("AWS4-ECDSA-P256-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("Basic YWRtaW46c2VjcmV0", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("AWS admin:demo:c2lnbmF0dXJl", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("", Ec2ErrorCodes.AuthFailure)]
    public void A_malformed_authorization_header_gets_its_ec2_error_code_not_an_exception(string authorization, string code)
    {
        var result = Verifier().Verify(WithAuthorization(authorization), Lookup);

        result.Succeeded.Should().BeFalse();
        result.ErrorCode.Should().Be(code, result.Message);
        result.HttpStatus.Should().Be(Ec2ErrorCodes.HttpStatusFor(code));
        result.Message.Should().NotBeNullOrWhiteSpace().And.NotContain(Secret.SecretKey);
    }

    [TestCase("yesterday", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("00010101T000000Z", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("99991231T235959Z", Ec2ErrorCodes.InvalidParameterValue)]
    public void An_unusable_x_amz_date_is_refused(string amzDate, string code)
    {
        var result = Verifier().Verify(WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab", amzDate), Lookup);

        result.ErrorCode.Should().Be(code, result.Message);
    }

    [Test]
    public void A_header_signature_without_any_date_is_incomplete()
    {
        var request = Ec2RequestSigner.WithHeader(Post(), "Authorization",
            "AWS4-HMAC-SHA256 Credential=admin:demo/20261125/nova/ec2/aws4_request, SignedHeaders=host, Signature=ab");

        Verifier().Verify(request, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.IncompleteSignature);
    }

    [Test]
    public void An_unsigned_request_is_an_auth_failure_and_the_secret_is_never_looked_up()
    {
        var lookedUp = false;

        var result = Verifier().Verify(Post(), key => { lookedUp = true; return Lookup(key); });

        result.ErrorCode.Should().Be(Ec2ErrorCodes.AuthFailure);
        result.HttpStatus.Should().Be(401);
        lookedUp.Should().BeFalse();
    }

    [TestCase(-14)]
    [TestCase(14)]
    public void A_request_signed_within_15_minutes_of_the_server_clock_is_accepted(int minutes) =>
        Verifier(Now.AddMinutes(minutes)).Verify(SignedPost(Now), Lookup).Succeeded.Should().BeTrue();

    [TestCase(-16)]
    [TestCase(16)]
    public void A_request_signed_more_than_15_minutes_from_the_server_clock_has_expired(int minutes)
    {
        var result = Verifier(Now.AddMinutes(minutes)).Verify(SignedPost(Now), Lookup);

        result.ErrorCode.Should().Be(Ec2ErrorCodes.RequestExpired);
        result.HttpStatus.Should().Be(400);
    }

    [Test]
    public void The_http_date_header_stands_in_for_x_amz_date()
    {
        var dateHeader = Now.ToString("r", CultureInfo.InvariantCulture);
        var dated = Ec2RequestSigner.WithHeader(Post(), "Date", dateHeader);
        var canonical = SigV4Canonicalizer.CanonicalRequest(dated, "date;host", SigV4Canonicalizer.HashHex(dated.Body.Span));
        var scope = "20261125/nova/ec2/aws4_request";
        var signature = SigV4Canonicalizer.Sign(SigV4Canonicalizer.SigningKey(Secret.SecretKey, "20261125", "nova", "ec2"),
            SigV4Canonicalizer.StringToSign("20261125T020345Z", scope, canonical));
        var request = Ec2RequestSigner.WithHeader(dated, "Authorization",
            $"AWS4-HMAC-SHA256 Credential={Secret.AccessKey}/{scope}, SignedHeaders=date;host, Signature={signature}");

        Verifier().Verify(request, Lookup).Succeeded.Should().BeTrue();
    }

    [Test]
    public void A_changed_body_fails_the_signature()
    {
        var signed = SignedPost();
        var tampered = Ec2RequestSigner.WithForm(signed, [new("Action", "TerminateInstances"), new("Version", "2016-11-15")]);

        Verifier().Verify(tampered, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);
    }

    [Test]
    public void A_declared_payload_hash_must_be_the_hash_of_the_body()
    {
        var claimed = Ec2RequestSigner.WithHeader(Post(), "x-amz-content-sha256", SigV4Canonicalizer.HashHex("Action=DescribeImages"u8));
        var signed = Ec2RequestSigner.SignV4(claimed, Secret.AccessKey, Secret.SecretKey, "nova", "ec2", Now,
            "content-type;host;x-amz-content-sha256;x-amz-date");

        var result = Verifier().Verify(signed, Lookup);

        result.ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);
        result.Message.Should().Contain("x-amz-content-sha256");
    }

    [Test]
    public void A_request_sent_to_another_host_fails_the_signature()
    {
        var signed = SignedPost();
        var elsewhere = Ec2RequestSigner.WithHeader(signed, "Host", "10.0.0.1:8773") with { Host = "10.0.0.1:8773" };

        Verifier().Verify(elsewhere, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);
    }

    [Test]
    public async Task The_async_lookup_receives_the_access_key_and_its_secret_verifies()
    {
        string? askedFor = null;

        var result = await Verifier().VerifyAsync(SignedPost(), (key, _) =>
        {
            askedFor = key;
            return Task.FromResult(Lookup(key));
        });

        askedFor.Should().Be("admin:demo");
        result.Succeeded.Should().BeTrue();
        result.Action.Should().Be("DescribeInstances");
        result.Secret!.ProjectId.Should().Be("project-1");
    }

    [Test]
    public void The_same_signed_request_is_accepted_again_within_its_window_as_on_aws()
    {
        var verifier = Verifier();
        var request = SignedPost();

        var accepted = Enumerable.Range(0, 64).AsParallel().Count(_ => verifier.Verify(request, Lookup).Succeeded);

        accepted.Should().Be(64);
    }

    [Test]
    public void The_same_signed_request_is_refused_once_its_window_is_over()
    {
        var request = SignedPost();

        Verifier(Now.AddMinutes(14)).Verify(request, Lookup).Succeeded.Should().BeTrue();
        Verifier(Now.AddMinutes(16)).Verify(request, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.RequestExpired);
    }

    [Test]
    public void A_secret_never_shows_in_the_printed_credential_or_result()
    {
        var result = Verifier().Verify(SignedPost(), Lookup);

        Secret.ToString().Should().Contain("admin:demo").And.NotContain(Secret.SecretKey);
        result.ToString().Should().NotContain(Secret.SecretKey);
    }

    [Test]
    public void The_benchmark_reports_a_positive_rate()
    {
        Ec2SignatureBenchmark.Run(200).Should().BePositive();
    }
}
