namespace Cloud.Modules.Identity;

/// <summary>A group of users in a domain; roles granted to it apply to each member.</summary>
public sealed class Group
{
    public string Id { get; init; } = "";

    public string DomainId { get; init; } = Domain.DefaultId;

    public string Name { get; init; } = "";

    public string? Description { get; init; }
}
