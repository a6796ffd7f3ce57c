using Cloud.Modules.Compute;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// A server group's members per host during one placement round: the live members already placed plus those this round
/// has placed so far, so two requests of one group placed together still honour its policy. Hard policies filter hosts
/// (nova's ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter); soft ones only prefer (its soft weighers).
/// </summary>
public sealed class GroupSpread(GroupPlacement group)
{
    private readonly Dictionary<string, int> _members = new(group.MembersPerHost, StringComparer.Ordinal);

    /// <summary>Whether a hard policy lets one more member onto <paramref name="host"/>.</summary>
    public bool Allows(HostState host) => group.Policy switch
    {
        ServerGroupPolicies.Affinity => _members.Count == 0 || _members.ContainsKey(host.Host),
        ServerGroupPolicies.AntiAffinity => Count(host) < group.MaxServerPerHost,
        _ => true,
    };

    /// <summary>The hosts a soft policy prefers among those that pass: the most (affinity) or fewest (anti-affinity) members.</summary>
    public IReadOnlyList<HostState> Preferred(IReadOnlyList<HostState> passing) => group.Policy switch
    {
        ServerGroupPolicies.SoftAffinity => [.. passing.Where(h => Count(h) == passing.Max(Count))],
        ServerGroupPolicies.SoftAntiAffinity => [.. passing.Where(h => Count(h) == passing.Min(Count))],
        _ => passing,
    };

    public void Add(HostState host) => _members[host.Host] = Count(host) + 1;

    public void Remove(HostState host)
    {
        if (Count(host) <= 1)
        {
            _members.Remove(host.Host);
        }
        else
        {
            _members[host.Host]--;
        }
    }

    private int Count(HostState host) => _members.GetValueOrDefault(host.Host);
}
