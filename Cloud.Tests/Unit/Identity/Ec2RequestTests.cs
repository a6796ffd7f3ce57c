using System.Text;
using Cloud.Modules.Identity.Ec2;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Identity;

public sealed class Ec2RequestTests
{
    private static Ec2Request Raw(string path, string? query, string? contentType, string body, params KeyValuePair<string, string>[] headers) =>
        Ec2Request.FromRaw("POST", "h:1", path, query, headers, Encoding.UTF8.GetBytes(body), contentType);

    [Test]
    public void A_form_body_is_decoded_in_wire_order_and_the_query_string_too()
    {
        var request = Raw("/services/Cloud", "?Action=X&Version=1", "application/x-www-form-urlencoded; charset=utf-8",
            "InstanceId.1=i-1&InstanceId.2=i-2&Device=%2Fdev%2Fvdb&Name=a+b");

        request.QueryParameters.Select(p => (p.Key, p.Value)).Should().Equal(("Action", "X"), ("Version", "1"));
        request.FormParameters.Select(p => (p.Key, p.Value)).Should().Equal(("InstanceId.1", "i-1"), ("InstanceId.2", "i-2"),
            ("Device", "/dev/vdb"), ("Name", "a b"));
        request.GetParameter("Device").Should().Be("/dev/vdb");
    }

    [Test]
    public void A_body_that_is_not_a_form_is_kept_only_as_bytes()
    {
        var request = Raw("/", null, "application/json", "Action=X");

        request.FormParameters.Should().BeEmpty();
        request.Body.Length.Should().Be(8);
    }

    [Test]
    public void The_content_type_is_taken_from_the_headers_when_not_given_and_compared_without_case()
    {
        var request = Raw("/", null, null, "Action=X", new KeyValuePair<string, string>("content-type", "Application/X-WWW-Form-UrlEncoded"));

        request.GetParameter("Action").Should().Be("X");
    }

    [Test]
    public void A_query_left_on_the_path_is_split_off()
    {
        var request = Raw("/services/Cloud?Action=Y", null, null, "");

        request.RawPath.Should().Be("/services/Cloud");
        request.GetParameter("Action").Should().Be("Y");
    }

    [Test]
    public void Headers_are_found_whatever_their_case_and_repeats_join_with_commas()
    {
        var request = Raw("/", null, null, "", new KeyValuePair<string, string>("X-Thing", "a"), new("x-thing", "b"));

        request.GetHeader("X-THING").Should().Be("a,b");
        request.GetHeader("missing").Should().BeNull();
    }

    [Test]
    public void The_query_string_wins_over_the_form_for_a_parameter_in_both()
    {
        var request = Raw("/", "Action=FromQuery", "application/x-www-form-urlencoded", "Action=FromForm");

        request.GetParameter("Action").Should().Be("FromQuery");
        request.AllParameters.Select(p => p.Value).Should().Equal("FromQuery", "FromForm");
    }

    [Test]
    public void Broken_escapes_and_invalid_utf8_decode_without_throwing()
    {
        var request = Raw("/", "a=%zz&b=%E9&c=%4&&d=%41", null, "");

        request.QueryParameters.Select(p => (p.Key, p.Value)).Should().Equal(("a", "%zz"), ("b", "\uFFFD"), ("c", "%4"), ("d", "A"));
    }
}
