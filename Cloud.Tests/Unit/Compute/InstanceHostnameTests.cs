using Cloud.Modules.Compute;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>Display names to DNS labels, the host names DHCP and the metadata service hand to guests.</summary>
public sealed class InstanceHostnameTests
{
    [TestCase("vm1", "vm1")]
    [TestCase("My Server_1.example", "my-server-1-example")]
    [TestCase("--web (prod)!--", "web-prod")]
    [TestCase("ünïcode-Ok", "ncode-ok")]
    public void A_display_name_becomes_one_lowercase_dns_label(string displayName, string hostname) =>
        InstanceHostname.Of(displayName, 42).Should().Be(hostname);

    [TestCase("")]
    [TestCase("日本語")]
    [TestCase("...")]
    public void A_name_with_nothing_usable_falls_back_to_the_domain_name_of_the_seed(string displayName) =>
        InstanceHostname.Of(displayName, 42).Should().Be("instance-0000002a");

    [Test]
    public void A_long_name_is_cut_to_63_characters_without_a_trailing_hyphen()
    {
        var name = new string('a', 62) + " b";
        InstanceHostname.Of(name, 1).Should().Be(new string('a', 62));
        InstanceHostname.Of(new string('x', 100), 1).Should().HaveLength(63);
    }

    [Test]
    public void The_qualified_name_adds_the_dhcp_domain_when_there_is_one()
    {
        var instance = new Instance { Id = 7, DisplayName = "Web 1" };
        InstanceHostname.Qualified(instance, "novalocal").Should().Be("web-1.novalocal");
        InstanceHostname.Qualified(instance, "").Should().Be("web-1");
    }
}
