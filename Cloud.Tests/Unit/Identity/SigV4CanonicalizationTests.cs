using Cloud.Modules.Identity.Ec2;
using FluentAssertions;
using NUnit.Framework;
using static Cloud.Tests.Unit.Identity.Ec2TestRequests;

namespace Cloud.Tests.Unit.Identity;

public sealed class SigV4CanonicalizationTests
{
    private static string Query(string raw) => SigV4Canonicalizer.CanonicalQuery(Get(raw).QueryParameters);

    [Test]
    public void Unreserved_characters_stay_and_everything_else_is_percent_encoded_in_upper_case()
    {
        AwsUriEncoding.Encode("AZaz09-_.~").Should().Be("AZaz09-_.~");
        AwsUriEncoding.Encode("!*'();:@&=+$,/?#[] %").Should().Be("%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%20%25");
        AwsUriEncoding.Encode("é\U0001F600").Should().Be("%C3%A9%F0%9F%98%80");
    }

    [Test]
    public void A_space_is_signed_as_percent_20_whether_it_came_as_plus_or_percent_20() =>
        Query("a=b%20c&d=e+f").Should().Be("a=b%20c&d=e%20f");

    [Test]
    public void A_literal_plus_in_a_value_is_signed_as_percent_2B() =>
        Query("a=1%2B1").Should().Be("a=1%2B1");

    [Test]
    public void Repeated_parameters_sort_by_encoded_value() =>
        Query("a=2&a=1&b=x&a=10").Should().Be("a=1&a=10&a=2&b=x");

    [Test]
    public void Empty_values_and_bare_names_sign_as_name_equals_nothing() =>
        Query("b=&flag&a=1").Should().Be("a=1&b=&flag=");

    [Test]
    public void Names_sort_by_their_encoded_bytes() =>
        Query("ab=1&a_b=2&aB=3&a-b=4&A=5&%C3%A9=6&Z=7").Should().Be("%C3%A9=6&A=5&Z=7&a-b=4&aB=3&a_b=2&ab=1");

    [TestCase("/services/Cloud", "/services/Cloud")]
    [TestCase("/services/Cloud/", "/services/Cloud/")]
    [TestCase("", "/")]
    [TestCase("/", "/")]
    [TestCase("/a%20b/~c", "/a%2520b/~c")]
    [TestCase("/a//b/./c/../d", "/a/b/d")]
    [TestCase("/a b", "/a%20b")]
    public void The_canonical_uri_normalises_the_path_and_encodes_it_again(string rawPath, string canonical) =>
        SigV4Canonicalizer.CanonicalUri(rawPath).Should().Be(canonical);

    [Test]
    public void Header_values_are_trimmed_and_their_whitespace_runs_folded_and_repeats_joined_with_commas()
    {
        var request = Ec2Request.FromRaw("GET", EndpointHost, EndpointPath, null,
            [new("Host", EndpointHost), new("X-Amz-Date", "20261125T020345Z"), new("X-Folded", "  a   b\t c  "), new("x-folded", "d  e")],
            ReadOnlyMemory<byte>.Empty);

        var canonical = SigV4Canonicalizer.CanonicalRequest(request, "host;x-amz-date;x-folded", "HASH");

        canonical.Should().Be("GET\n/services/Cloud\n\nhost:127.0.0.1:8773\nx-amz-date:20261125T020345Z\nx-folded:a b c,d e\n\nhost;x-amz-date;x-folded\nHASH");
    }

    [Test]
    public void An_awscli_post_canonicalises_with_an_empty_query_and_the_body_hash()
    {
        var request = Post(extraHeaders: [new("X-Amz-Date", "20261125T020345Z")]);

        var canonical = SigV4Canonicalizer.CanonicalRequest(request, Ec2RequestSigner.AwscliSignedHeaders, SigV4Canonicalizer.HashHex(request.Body.Span));

        canonical.Should().Be(
            "POST\n/services/Cloud\n\n"
            + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:127.0.0.1:8773\nx-amz-date:20261125T020345Z\n\n"
            + "content-type;host;x-amz-date\n" + SigV4Canonicalizer.HashHex("Action=DescribeInstances&Version=2016-11-15"u8));
    }

    [Test]
    public void A_presigned_query_leaves_the_signature_out_of_its_canonical_query()
    {
        var request = Get("Action=DescribeRegions&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=admin%3Ademo%2F20261125%2Fnova%2Fec2%2Faws4_request"
            + "&X-Amz-Date=20261125T020345Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc");

        var canonical = SigV4Canonicalizer.CanonicalRequest(request, "host", "HASH", presigned: true);

        canonical.Should().Be("GET\n/services/Cloud\n"
            + "Action=DescribeRegions&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=admin%3Ademo%2F20261125%2Fnova%2Fec2%2Faws4_request"
            + "&X-Amz-Date=20261125T020345Z&X-Amz-SignedHeaders=host\nhost:127.0.0.1:8773\n\nhost\nHASH");
    }

    [Test]
    public void The_host_property_signs_when_no_host_header_line_was_passed()
    {
        var request = Ec2Request.FromRaw("GET", "cloud:8773", "/", null, [], ReadOnlyMemory<byte>.Empty);

        SigV4Canonicalizer.CanonicalRequest(request, "host", "H").Should().Be("GET\n/\n\nhost:cloud:8773\n\nhost\nH");
    }
}
