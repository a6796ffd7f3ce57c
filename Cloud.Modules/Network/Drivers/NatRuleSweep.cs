namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// Which rules of one iptables chain to delete, from its <c>iptables -S CHAIN</c> listing: every copy of a rule
/// after the first (a rule added twice by hand, or by two roles racing), and every rule the caller calls stale
/// (e.g. a metadata DNAT to the gateway of a network that was deleted). Pure, so the plan is unit-tested.
/// </summary>
public static class NatRuleSweep
{
    /// <summary>
    /// The numbers of the rules to pass to <c>iptables -D CHAIN N</c>, highest first so each deletion leaves the
    /// numbers still to delete unchanged (by specification, <c>-D</c> would remove the first copy, not the extra one).
    /// </summary>
    public static IReadOnlyList<int> Deletions(string listing, string chain, Func<string, bool> stale)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(stale);
        var prefix = $"-A {chain} ";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deletions = new List<int>();
        var number = 0;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            number++;
            var rule = line[prefix.Length..];
            if (!seen.Add(rule) || stale(rule))
            {
                deletions.Add(number);
            }
        }
        deletions.Reverse();
        return deletions;
    }
}
