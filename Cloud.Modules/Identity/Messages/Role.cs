namespace Cloud.Modules.Identity;

/// <summary>A global role (Keystone's <c>role</c>): granted to users and groups on projects, domains or the system.</summary>
public sealed class Role
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }
}
