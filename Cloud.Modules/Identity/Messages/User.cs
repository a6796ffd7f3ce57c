namespace Cloud.Modules.Identity;

/// <summary>A user of the cloud. The EC2 secret is kept because request signatures are verified with it; it is never logged.</summary>
public sealed class User
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? PasswordHash { get; init; }

    public string AccessKey { get; init; } = "";

    public string SecretKey { get; init; } = "";

    /// <summary>A cloud administrator: holds admin on the system (directly or through a group), so admin in every project.</summary>
    public bool IsAdmin { get; init; }

    public DateTime CreatedAt { get; init; }

    public string DomainId { get; init; } = Domain.DefaultId;

    /// <summary>A disabled user cannot authenticate.</summary>
    public bool Enabled { get; init; } = true;

    public string? DefaultProjectId { get; init; }

    public string? Email { get; init; }

    public string? Description { get; init; }

    /// <summary>A new user with fresh EC2 keys and the password hashed (none: the user cannot log in with a password).</summary>
    public static User New(string name, string? password, bool isAdmin, DateTime now, string domainId = Domain.DefaultId, bool enabled = true,
        string? defaultProjectId = null, string? email = null, string? description = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Name = name,
        PasswordHash = password is null ? null : PasswordHasher.Hash(password),
        AccessKey = Guid.NewGuid().ToString(),
        SecretKey = Guid.NewGuid().ToString(),
        IsAdmin = isAdmin,
        CreatedAt = now,
        DomainId = domainId,
        Enabled = enabled,
        DefaultProjectId = defaultProjectId,
        Email = email,
        Description = description,
    };
}
