using System.Globalization;
using Cloud.Modules.Identity.Ec2;
using FluentAssertions;
using NUnit.Framework;
using static Cloud.Tests.Unit.Identity.Ec2TestRequests;

namespace Cloud.Tests.Unit.Identity;

public sealed class Ec2SignatureV2Tests
{
    private static Ec2Request SignedGet(bool sha1 = false, DateTimeOffset? at = null) =>
        Ec2RequestSigner.SignV2(Get("Action=DescribeImages&Version=2014-10-01"), Secret.AccessKey, Secret.SecretKey, at ?? Now, sha1);

    private static Ec2Request SignedPostV2() =>
        Ec2RequestSigner.SignV2(Post("Action=DescribeImages&Version=2016-11-15"), Secret.AccessKey, Secret.SecretKey, Now);

    private static Ec2Request Replace(Ec2Request request, string name, string? value)
    {
        var query = request.QueryParameters.Where(p => p.Key != name).ToList();
        if (value is not null)
        {
            query.Add(new(name, value));
        }
        return request with { QueryParameters = query };
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_sigv2_query_string_request_verifies_with_hmac_sha256_or_sha1(bool sha1)
    {
        var result = Verifier().Verify(SignedGet(sha1), Lookup);

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
        result.SignatureVersion.Should().Be(2);
        result.Action.Should().Be("DescribeImages");
    }

    [Test]
    public void A_sigv2_form_request_verifies()
    {
        Verifier().Verify(SignedPostV2(), Lookup).Succeeded.Should().BeTrue();
    }

    [Test]
    public void A_sigv2_request_with_a_wrong_secret_or_a_changed_parameter_fails_the_signature()
    {
        Verifier().Verify(SignedGet(), _ => Secret with { SecretKey = "other" }).ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);

        Verifier().Verify(Replace(SignedGet(), "Action", "DescribeInstances"), Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);
    }

    [Test]
    public void A_sigv2_signature_made_without_the_port_verifies_as_legacy_tools_send_it()
    {
        var signed = Ec2RequestSigner.SignV2(Get("Action=DescribeImages") with { Host = "127.0.0.1" }, Secret.AccessKey, Secret.SecretKey, Now);

        Verifier().Verify(signed with { Host = EndpointHost }, Lookup).Succeeded.Should().BeTrue();
    }

    [Test]
    public void A_base64_plus_that_arrived_as_a_space_still_verifies()
    {
        var signed = Enumerable.Range(0, 50).Select(i => SignedGet(at: Now.AddSeconds(i)))
            .First(r => r.GetParameter("Signature")!.Contains('+'));

        var mangled = Replace(signed, "Signature", signed.GetParameter("Signature")!.Replace('+', ' '));

        Verifier().Verify(mangled, Lookup).Succeeded.Should().BeTrue();
    }

    [Test]
    public void A_sigv2_timestamp_older_than_15_minutes_has_expired()
    {
        Verifier(Now.AddMinutes(16)).Verify(SignedGet(), Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.RequestExpired);
    }

    [Test]
    public void A_sigv2_expires_is_honoured_until_it_passes()
    {
        var unsigned = Get("Action=DescribeImages&AWSAccessKeyId=admin%3Ademo&SignatureVersion=2&SignatureMethod=HmacSHA256&Expires=2026-11-25T03%3A00%3A00Z");
        var signature = Sign(unsigned);
        var signed = Replace(unsigned, "Signature", signature);

        Verifier(Now.AddMinutes(50)).Verify(signed, Lookup).Succeeded.Should().BeTrue();
        Verifier(Now.AddMinutes(57)).Verify(signed, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.RequestExpired);
    }

    [TestCase("SignatureVersion", "1", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("SignatureMethod", "HmacMD5", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("Timestamp", "at noon", Ec2ErrorCodes.InvalidParameterValue)]
    [TestCase("Expires", "2026-11-25T03:00:00Z", Ec2ErrorCodes.InvalidParameterCombination)]
    [TestCase("AWSAccessKeyId", null, Ec2ErrorCodes.MissingParameter)]
    [TestCase("SignatureMethod", null, Ec2ErrorCodes.MissingParameter)]
    [TestCase("SignatureVersion", null, Ec2ErrorCodes.MissingParameter)]
    [TestCase("Timestamp", null, Ec2ErrorCodes.MissingParameter)]
    [TestCase("Signature", null, Ec2ErrorCodes.MissingParameter)]
    public void A_malformed_sigv2_request_gets_its_ec2_error_code(string name, string? value, string code)
    {
        var request = name == "Expires" ? SignedGet() with { QueryParameters = [.. SignedGet().QueryParameters, new(name, value!)] }
            : Replace(SignedGet(), name, value);

        Verifier().Verify(request, Lookup).ErrorCode.Should().Be(code);
    }

    [Test]
    public void A_sigv2_expires_more_than_7_days_ahead_is_refused()
    {
        var far = Now.AddDays(8).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var unsigned = Get($"Action=DescribeImages&AWSAccessKeyId=admin%3Ademo&SignatureVersion=2&SignatureMethod=HmacSHA256&Expires={Uri.EscapeDataString(far)}");

        Verifier().Verify(Replace(unsigned, "Signature", Sign(unsigned)), Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.InvalidParameterValue);
    }

    [Test]
    public void The_sigv2_canonical_query_sorts_by_code_point_and_leaves_out_the_signature()
    {
        KeyValuePair<string, string>[] parameters =
            [new("b", "2"), new("Signature", "x"), new("a", "z y"), new("\uE000", "p"), new("\U0001F600", "e"), new("A", "~/")];

        SigV2Claim.CanonicalQuery(parameters).Should().Be("A=~%2F&a=z%20y&b=2&%EE%80%80=p&%F0%9F%98%80=e");
    }

    // The server never signs; this reproduces botocore's SigV2Auth for the one test that needs Expires.
    private static string Sign(Ec2Request unsigned)
    {
        var toSign = $"GET\n{EndpointHost}\n{EndpointPath}\n{SigV2Claim.CanonicalQuery(unsigned.AllParameters)}";
        return Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret.SecretKey), System.Text.Encoding.UTF8.GetBytes(toSign)));
    }
}
