namespace Cloud.Modules.Compute;

/// <summary>A project's named set of ingress rules; every project has a <c>default</c> group.</summary>
public sealed class SecurityGroup
{
    public long Id { get; init; }

    public string ProjectId { get; init; } = "";

    public string? UserId { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    /// <summary>The group's rules (filled by the API, not a column).</summary>
    public IReadOnlyList<SecurityGroupRule> Rules { get; set; } = [];
}
