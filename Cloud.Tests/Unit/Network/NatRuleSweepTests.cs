using Cloud.Modules.Network.Drivers;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

public sealed class NatRuleSweepTests
{
    [Test]
    public void Second_copies_and_stale_rules_are_deleted_and_everything_else_is_kept()
    {
        const string listing = """
            -N cloudd-PREROUTING
            -A cloudd-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8775
            -A cloudd-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.9.1:8775
            -A cloudd-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8775
            -A cloudd-PREROUTING -m comment --comment "floating 1" -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5
            """;

        var deletions = NatRuleSweep.Deletions(listing, "cloudd-PREROUTING", rule => rule.Contains("10.0.9.1", StringComparison.Ordinal));

        deletions.Should().Equal([3, 2], "the second copy of the 10.0.0.1 rule and the stale 10.0.9.1 rule go, highest number first");
    }
}
