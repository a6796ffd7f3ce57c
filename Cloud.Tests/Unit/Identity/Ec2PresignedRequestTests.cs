using Cloud.Modules.Identity.Ec2;
using FluentAssertions;
using NUnit.Framework;
using static Cloud.Tests.Unit.Identity.Ec2TestRequests;

namespace Cloud.Tests.Unit.Identity;

public sealed class Ec2PresignedRequestTests
{
    private static Ec2Request Presigned(int expiresSeconds = 300, string query = "Action=DescribeRegions&Version=2016-11-15") =>
        Ec2RequestSigner.PresignV4(Get(query), Secret.AccessKey, Secret.SecretKey, "nova", "ec2", Now, expiresSeconds);

    /// <summary>The presigned request as a client would send it: every parameter back on the query string.</summary>
    private static Ec2Request OnTheWire(Ec2Request presigned) =>
        Get(string.Join('&', presigned.QueryParameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));

    private static Ec2Request Without(string name)
    {
        var wire = OnTheWire(Presigned());
        return wire with { QueryParameters = wire.QueryParameters.Where(p => p.Key != name).ToList() };
    }

    [Test]
    public void A_presigned_request_verifies_and_names_its_action()
    {
        var result = Verifier().Verify(OnTheWire(Presigned()), Lookup);

        result.Succeeded.Should().BeTrue($"{result.ErrorCode}: {result.Message}");
        result.Action.Should().Be("DescribeRegions");
    }

    [Test]
    public void A_presigned_request_is_good_until_x_amz_expires_and_not_after()
    {
        Verifier(Now.AddSeconds(299)).Verify(OnTheWire(Presigned(300)), Lookup).Succeeded.Should().BeTrue();

        Verifier(Now.AddSeconds(301)).Verify(OnTheWire(Presigned(300)), Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.RequestExpired);
    }

    [Test]
    public void A_presigned_request_may_outlive_the_clock_skew_window_when_it_says_so()
    {
        Verifier(Now.AddMinutes(50)).Verify(OnTheWire(Presigned(3600)), Lookup).Succeeded.Should().BeTrue();
    }

    [Test]
    public void A_presigned_request_with_an_added_parameter_fails_the_signature()
    {
        var wire = OnTheWire(Presigned());
        var tampered = wire with { QueryParameters = [.. wire.QueryParameters, new("InstanceId.1", "i-00000001")] };

        Verifier().Verify(tampered, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.SignatureDoesNotMatch);
    }

    [Test]
    public void Awkward_query_values_sign_and_verify()
    {
        var query = "Action=DescribeRegions&Filter.1.Value.1=a%20b&Filter.1.Value.2=x%2By%3Dz%26w&Filter.1.Value.3=%C3%A9%2F~%2A&Filter.1.Value.4=";

        Verifier().Verify(OnTheWire(Presigned(query: query)), Lookup).Succeeded.Should().BeTrue();
    }

    [TestCase("X-Amz-Credential")]
    [TestCase("X-Amz-Date")]
    [TestCase("X-Amz-SignedHeaders")]
    [TestCase("X-Amz-Signature")]
    [TestCase("X-Amz-Algorithm")]
    public void A_presigned_request_missing_a_part_is_refused_as_missing_a_parameter(string name)
    {
        var result = Verifier().Verify(Without(name), Lookup);

        result.ErrorCode.Should().Be(Ec2ErrorCodes.MissingParameter);
        result.Message.Should().Contain(name);
    }

    [TestCase("X-Amz-Expires", "soon")]
    [TestCase("X-Amz-Expires", "0")]
    [TestCase("X-Amz-Expires", "604801")]
    [TestCase("X-Amz-Algorithm", "AWS4-HMAC-SHA1")]
    [TestCase("X-Amz-Date", "2026-11-25T02:03:45Z")]
    public void A_presigned_request_with_an_unusable_value_is_refused_as_invalid(string name, string value)
    {
        var wire = OnTheWire(Presigned());
        var bad = wire with { QueryParameters = wire.QueryParameters.Select(p => p.Key == name ? new KeyValuePair<string, string>(name, value) : p).ToList() };

        Verifier().Verify(bad, Lookup).ErrorCode.Should().Be(Ec2ErrorCodes.InvalidParameterValue);
    }
}
