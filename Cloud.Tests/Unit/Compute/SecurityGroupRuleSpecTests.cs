using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>Security group rules are checked and normalised before they reach the database.</summary>
public sealed class SecurityGroupRuleSpecTests
{
    [Test]
    public void A_valid_rule_is_normalised()
    {
        new SecurityGroupRuleSpec("TCP", 22, 22, null, null).Validated().Should().Be(new SecurityGroupRuleSpec("tcp", 22, 22, "0.0.0.0/0", null));
        new SecurityGroupRuleSpec("icmp", -1, -1, "10.0.0.0/8", null).Validated().Cidr.Should().Be("10.0.0.0/8");
        new SecurityGroupRuleSpec("udp", 53, 53, "2001:db8::/32", null).Validated().Cidr.Should().Be("2001:db8::/32");
        new SecurityGroupRuleSpec("tcp", 1, 65535, null, "web").Validated().Cidr.Should().BeNull();
    }

    [TestCase("gre", 1, 1, "0.0.0.0/0")]
    [TestCase("tcp", 0, 22, "0.0.0.0/0")]
    [TestCase("tcp", 22, 21, "0.0.0.0/0")]
    [TestCase("udp", 1, 65536, "0.0.0.0/0")]
    [TestCase("tcp", -1, -1, "0.0.0.0/0")]
    [TestCase("icmp", -2, 0, "0.0.0.0/0")]
    [TestCase("icmp", 8, 256, "0.0.0.0/0")]
    [TestCase("tcp", 22, 22, "10.0.0.0")]
    [TestCase("tcp", 22, 22, "10.0.0.0/33")]
    [TestCase("tcp", 22, 22, "300.0.0.0/8")]
    [TestCase("tcp", 22, 22, "10.0.0.0/-1")]
    [TestCase("tcp", 22, 22, "banana/8")]
    public void Bad_protocols_ports_and_cidrs_are_invalid(string protocol, long from, long to, string cidr) =>
        FluentActions.Invoking(() => new SecurityGroupRuleSpec(protocol, from, to, cidr, null).Validated())
            .Should().Throw<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);

    [Test]
    public void A_rule_names_a_cidr_or_a_source_group_not_both() =>
        FluentActions.Invoking(() => new SecurityGroupRuleSpec("tcp", 22, 22, "10.0.0.0/8", "web").Validated())
            .Should().Throw<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);

    [TestCase("gre", 1, 1, "0.0.0.0/0", "Invalid IP protocol gre.")]
    [TestCase("tcp", 1, 70000, "0.0.0.0/0", "Invalid port range 1:70000. Valid TCP ports should be between 1-65535")]
    [TestCase("udp", 53, 52, "0.0.0.0/0", "Invalid port range 53:52. Former value cannot be greater than the later")]
    [TestCase("icmp", 8, 256, "0.0.0.0/0", "Invalid port range 8:256. For ICMP, the type:code must be valid")]
    [TestCase("tcp", 22, 22, "10.0.0.0/33", "Invalid cidr 10.0.0.0/33.")]
    public void Bad_rules_get_novas_messages(string protocol, long from, long to, string cidr, string message) =>
        FluentActions.Invoking(() => new SecurityGroupRuleSpec(protocol, from, to, cidr, null).Validated())
            .Should().Throw<CloudException>().WithMessage(message);
}
