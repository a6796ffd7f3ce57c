using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>The addresses of manage floating create RANGE, as nova-manage's address_to_hosts.</summary>
public sealed class FloatingRangeTests
{
    [TestCase("172.24.4.10", new[] { "172.24.4.10" })]
    [TestCase("172.24.4.10/32", new[] { "172.24.4.10" })]
    [TestCase("172.24.4.10/31", new[] { "172.24.4.10", "172.24.4.11" })]
    [TestCase("172.24.4.8/30", new[] { "172.24.4.9", "172.24.4.10" })]
    public void A_range_is_its_host_addresses(string range, string[] addresses) =>
        FloatingRange.Addresses(range).Should().Equal(addresses);

    [TestCase("nonsense", "not an IPv4 address or CIDR")]
    [TestCase("172.24.4.0/33", "not an IPv4 address or CIDR")]
    [TestCase("172.24.4.0/x", "not an IPv4 address or CIDR")]
    [TestCase("fd00::/64", "not an IPv4 address or CIDR")]
    [TestCase("172.24.4.5/24", "host bits set; the network is 172.24.4.0/24")]
    [TestCase("10.0.0.0/8", "at most 65536")]
    public void Bad_ranges_are_refused_with_the_reason(string range, string reason) =>
        FluentActions.Invoking(() => FloatingRange.Addresses(range)).Should().Throw<CloudException>().WithMessage($"*{reason}*");
}
