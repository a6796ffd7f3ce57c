namespace Cloud.Modules.Compute;

/// <summary>The filters of <c>GET /os-migrations</c> (and of one server's migrations); null matches all.</summary>
public sealed record MigrationQuery(
    string? InstanceUuid = null,
    string? Status = null,
    string? Host = null,
    string? MigrationType = null,
    string? ProjectId = null);
