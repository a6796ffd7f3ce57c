namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>
/// A Keystone application credential: authenticates as <see cref="UserId"/> in <see cref="ProjectId"/> with (at most)
/// <see cref="Roles"/>, until <see cref="ExpiresAt"/>. Only the hash of its secret is kept.
/// </summary>
public sealed class ApplicationCredential
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string UserId { get; init; } = "";

    public string? ProjectId { get; init; }

    /// <summary>UTC; null for a credential that never expires.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>True when tokens made with it may create further application credentials (and trusts).</summary>
    public bool Unrestricted { get; init; }

    public string SecretHash { get; init; } = "";

    /// <summary>The roles it delegates (what the creator's token held, or the subset asked for).</summary>
    public IReadOnlyList<string> Roles { get; set; } = [];

    /// <summary>Null when it has none: its tokens may make any request (Keystone treats an empty list the same).</summary>
    public IReadOnlyList<AccessRule>? AccessRules { get; set; }
}
