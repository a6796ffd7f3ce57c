namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>What a caller asks for in <c>POST /v3/users/{id}/application_credentials</c>, already type-checked.</summary>
/// <param name="Name">Unique among the user's credentials.</param>
/// <param name="Description">Free text; null for none.</param>
/// <param name="Secret">The secret to use; null to have one generated.</param>
/// <param name="ExpiresAt">UTC expiry; null for never.</param>
/// <param name="Roles">Roles by id or name, each one the caller's token holds; null for all of the token's.</param>
/// <param name="Unrestricted">Whether its tokens may create more application credentials.</param>
/// <param name="AccessRules">The requests its tokens may make; null for any.</param>
public sealed record ApplicationCredentialRequest(
    string Name,
    string? Description,
    string? Secret,
    DateTime? ExpiresAt,
    IReadOnlyList<RoleReference>? Roles,
    bool Unrestricted,
    IReadOnlyList<AccessRuleRequest>? AccessRules);
