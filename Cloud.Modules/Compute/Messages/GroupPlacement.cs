namespace Cloud.Modules.Compute;

/// <summary>
/// What the scheduler needs to place new members of a server group: its policy and rule, and how many live members
/// (other than those being placed) already run on each host.
/// </summary>
public sealed record GroupPlacement(string GroupUuid, string Policy, long MaxServerPerHost, IReadOnlyDictionary<string, int> MembersPerHost);
