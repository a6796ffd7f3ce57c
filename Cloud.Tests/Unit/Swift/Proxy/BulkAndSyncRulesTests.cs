using System.Text;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy;
using Cloud.Modules.Swift.Proxy.Middleware.Bulk;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>The pure rules behind bulk's answers, X-Container-Sync-To and the expiry headers, against Swift 2.30's own words.</summary>
public sealed class BulkAndSyncRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [TestCase(null, "text/plain")]
    [TestCase("application/json", "application/json")]
    [TestCase("text/*;q=0.5, application/xml", "application/xml")]
    [TestCase("*/*", "text/plain")]
    [TestCase("image/png", null)]
    [TestCase("garbage", null)]
    public void Accept_picks_the_result_format_as_swob_does(string? accept, string? format) =>
        BulkResultBody.Negotiate(accept).Should().Be(format);

    [Test]
    public void The_result_renders_as_swifts_json_xml_and_plain_text()
    {
        List<(string, object)> results = [("Response Status", "400 Bad Request"), ("Response Body", ""), ("Number Deleted", 1), ("Number Not Found", 0)];
        List<(string, string)> errors = [("c/\u00e9", "409 Conflict")];
        Encoding.UTF8.GetString(BulkResultBody.Render("application/json", results, errors, "delete")).Should().Be(
            "{\"Response Status\": \"400 Bad Request\", \"Response Body\": \"\", \"Number Deleted\": 1, \"Number Not Found\": 0, \"Errors\": [[\"c/\\u00e9\", \"409 Conflict\"]]}");
        Encoding.UTF8.GetString(BulkResultBody.Render("text/plain", results, errors, "delete")).Should().Be(
            "Number Deleted: 1\nNumber Not Found: 0\nResponse Body: \nResponse Status: 400 Bad Request\nErrors:\nc/\u00e9, 409 Conflict\n");
        Encoding.UTF8.GetString(BulkResultBody.Render("text/xml", results, [("a<b", "404 Not Found")], "delete")).Should().Be(
            "<delete>\n<number_deleted>1</number_deleted>\n<number_not_found>0</number_not_found>\n<response_body></response_body>\n"
            + "<response_status>400 Bad Request</response_status>\n<errors>\n<object><name>a&lt;b</name><status>404 Not Found</status></object>\n</errors>\n</delete>\n");
    }

    [Test]
    public void A_name_is_quoted_as_wsgi_quote_quotes_it() =>
        BulkSubrequest.Quote("/v1/AUTH_a/c d/\u00e9?#%").Should().Be("/v1/AUTH_a/c%20d/%C3%A9%3F%23%25");

    [TestCase("//norealm/c/AUTH_a/c", "No realm key for 'norealm'")]
    [TestCase("//realm1/nocluster/AUTH_a/c", "No cluster endpoint for 'realm1' 'nocluster'")]
    [TestCase("//realm1/alpha/AUTH_a", "Invalid X-Container-Sync-To format '//realm1/alpha/AUTH_a'")]
    [TestCase("//REALM1/ALPHA/AUTH_a/c/", null)]
    [TestCase("ftp://127.0.0.1/v1/AUTH_a/c", "Invalid scheme 'ftp' in X-Container-Sync-To, must be \"//\", \"http\", or \"https\".")]
    [TestCase("127.0.0.1/v1/AUTH_a/c", "Invalid scheme '' in X-Container-Sync-To, must be \"//\", \"http\", or \"https\".")]
    [TestCase("http://127.0.0.1", "Path required in X-Container-Sync-To")]
    [TestCase("http://127.0.0.1/v1/a/c?x=1", "Params, queries, and fragments not allowed in X-Container-Sync-To")]
    [TestCase("https://Evil.Example.com:443/v1/a/c", "Invalid host 'evil.example.com' in X-Container-Sync-To")]
    [TestCase("http://user@127.0.0.1:8080/v1/a/c", null)]
    [TestCase("", null)]
    public void Sync_targets_are_judged_as_validate_sync_to_judges_them(string value, string? refusal)
    {
        var realms = ContainerSyncRealms.Parse("realm1,key=k1,key2=k2,cluster_alpha=https://alpha.example.com/v1/");
        ContainerSyncTo.Refusal(value, ["127.0.0.1"], realms).Should().Be(refusal);
    }

    [Test]
    public void Realms_need_a_key_and_known_fields_and_never_show_keys_in_info()
    {
        var realms = ContainerSyncRealms.Parse("r1,key=secret,cluster_a=http://h/v1/; r2,key=other");
        realms.Key("R1").Should().Be("secret");
        realms.Endpoint("r1", "A").Should().Be("http://h/v1/");
        realms.Info().Should().ContainKey("R1").And.NotContainKey("R2", "a realm without clusters is not advertised");
        FluentActions.Invoking(() => ContainerSyncRealms.Parse("r1,cluster_a=http://h/v1/")).Should().Throw<FlagException>();
        FluentActions.Invoking(() => ContainerSyncRealms.Parse("r1,key=k,colour=blue")).Should().Throw<FlagException>();
    }

    [TestCase("X-Delete-After", "1.5", null, "Non-integer X-Delete-After")]
    [TestCase("X-Delete-After", "-1", null, "X-Delete-After in past")]
    [TestCase("X-Delete-After", "0", null, "X-Delete-After in past")]
    [TestCase("X-Delete-After", "60", "1800000060", null)]
    [TestCase("X-Delete-At", "soon", null, "Non-integer X-Delete-At")]
    [TestCase("X-Delete-At", "1800000000", null, "X-Delete-At in past")]
    [TestCase("X-Delete-At", "1800000001", "1800000001", null)]
    public void Expiry_headers_are_checked_as_check_delete_headers_checks_them(string header, string value, string? deleteAt, string? refusal) =>
        ProxyObjectExpiry.Check(new HeaderDictionary { [header] = value }, Now).Should().Be((deleteAt, refusal));
}
