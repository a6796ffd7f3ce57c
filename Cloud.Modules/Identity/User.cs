namespace Cloud.Modules.Identity;

/// <summary>A user of the cloud. The EC2 secret is kept because request signatures are verified with it; it is never logged.</summary>
public sealed class User
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? PasswordHash { get; init; }

    public string AccessKey { get; init; } = "";

    public string SecretKey { get; init; } = "";

    /// <summary>A cloud administrator: admin in every project.</summary>
    public bool IsAdmin { get; init; }

    public DateTime CreatedAt { get; init; }
}
