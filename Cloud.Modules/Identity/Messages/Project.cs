namespace Cloud.Modules.Identity;

/// <summary>A project (tenant): instances, volumes, images and quotas belong to one.</summary>
public sealed class Project
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    /// <summary>The id of the user who manages the project.</summary>
    public string ProjectManager { get; init; } = "";

    /// <summary>The project's CA certificate and key (PEM), made on first use by <c>project zipfile</c>.</summary>
    public string? CaCertificate { get; init; }

    public string? CaPrivateKey { get; init; }

    public DateTime CreatedAt { get; init; }

    public string DomainId { get; init; } = Domain.DefaultId;

    /// <summary>The parent project; null for a top-level project (whose Keystone parent is its domain).</summary>
    public string? ParentId { get; init; }

    /// <summary>No token can be scoped to a disabled project.</summary>
    public bool Enabled { get; init; } = true;
}
