namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>A role named by id or by name (exactly one of them).</summary>
public sealed record RoleReference(string? Id, string? Name);
