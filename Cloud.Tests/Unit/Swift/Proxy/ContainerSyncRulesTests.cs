using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Middleware.ContainerSync;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>Container sync's signature (swift's get_sig), the path it covers, X-Timestamp normalising and where a sync-to resolves.</summary>
public sealed class ContainerSyncRulesTests
{
    [Test]
    public void The_realm_signature_is_swifts_hmac_sha1_over_method_path_timestamp_nonce_and_user_key()
    {
        // hmac.new(b'realmkey', b'PUT\n/v1/AUTH_a/c/o%20x\n1700000000.00000\nabc\nuserkey', sha1).hexdigest()
        ContainerSyncRealms.Signature("PUT", "/v1/AUTH_a/c/o%20x", "1700000000.00000", "abc", "realmkey", "userkey")
            .Should().Be("6ac1cec6c8844601f240932b04a62c3a89ee44a2");
    }

    [Test]
    public void Quote_is_pythons_with_slash_safe() =>
        ContainerSyncRealms.Quote("a b/\u00e9~!*()'?#%+&=").Should().Be("a%20b/%C3%A9~%21%2A%28%29%27%3F%23%25%2B%26%3D");

    [TestCase("1700000000.5", "1700000000.50000")]
    [TestCase("1700000000.123456", "1700000000.12346")]
    [TestCase("12", "0000000012.00000")]
    [TestCase("1700000000.00000_0000000000000001", "1700000000.00000")]
    [TestCase("-1", null)]
    [TestCase("soon", null)]
    [TestCase("", null)]
    [TestCase("99999999999", null)]
    public void X_timestamp_is_normalised_or_refused(string sent, string? normalised) =>
        ContainerSyncGrant.Normalize(sent).Should().Be(normalised);

    [Test]
    public void A_realm_sync_to_resolves_to_its_clusters_endpoint_and_key()
    {
        var realms = ContainerSyncRealms.Parse("realm1,key=k1,cluster_alpha=https://alpha.example.com/v1/");
        ContainerSyncTo.Resolve("//realm1/alpha/AUTH_x/c", ["127.0.0.1"], realms)
            .Should().Be(("https://alpha.example.com/v1/AUTH_x/c", "REALM1", "k1", (string?)null));
        ContainerSyncTo.Resolve("http://127.0.0.1/v1/AUTH_x/c/", ["127.0.0.1"], realms)
            .Should().Be(("http://127.0.0.1/v1/AUTH_x/c", (string?)null, (string?)null, (string?)null));
        ContainerSyncTo.Resolve("//realm1/beta/AUTH_x/c", ["127.0.0.1"], realms).Refusal.Should().Be("No cluster endpoint for 'realm1' 'beta'");
    }
}
