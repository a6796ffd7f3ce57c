namespace Cloud.Modules.Compute;

/// <summary>
/// A server group (nova's instance group): its members are placed by <see cref="Policy"/> — together
/// (<c>affinity</c>), apart (<c>anti-affinity</c>, at most <see cref="MaxServerPerHost"/> per host), or preferably so
/// (<c>soft-affinity</c>, <c>soft-anti-affinity</c>). A class with init properties so Dapper can fill it.
/// </summary>
public sealed class ServerGroup
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string Name { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string? UserId { get; init; }

    /// <summary>One of <see cref="ServerGroupPolicies.All"/>.</summary>
    public string Policy { get; init; } = ServerGroupPolicies.AntiAffinity;

    /// <summary>The anti-affinity rule <c>max_server_per_host</c> (2.64); null means 1.</summary>
    public long? MaxServerPerHost { get; init; }

    public DateTime CreatedAt { get; init; }
}
