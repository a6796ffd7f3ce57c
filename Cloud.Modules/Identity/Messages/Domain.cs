namespace Cloud.Modules.Identity;

/// <summary>A Keystone domain: a namespace of projects, users and groups. <c>default</c> (Default) always exists.</summary>
public sealed class Domain
{
    public const string DefaultId = "default";

    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public bool Enabled { get; init; } = true;
}
