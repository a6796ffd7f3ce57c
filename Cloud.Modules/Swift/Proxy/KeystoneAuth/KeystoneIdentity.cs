namespace Cloud.Modules.Swift.Proxy.KeystoneAuth;

/// <summary>
/// What keystoneauth knows of a caller with a valid Keystone token (its <c>_keystone_identity</c>): the user, the
/// project the token is scoped to (none for an unscoped or domain token), the token's roles, and the roles of the
/// <c>X-Service-Token</c>'s user when one came with it (empty otherwise); the user's and project's names, which ACLs may
/// name them by when both are in the default domain (keystoneauth's <c>allow_names_in_acls</c>).
/// </summary>
public sealed record KeystoneIdentity(
    string? UserId,
    string? ProjectId,
    IReadOnlyCollection<string> Roles,
    IReadOnlyCollection<string> ServiceRoles,
    string? UserName = null,
    string? ProjectName = null,
    bool NamesInDefaultDomain = false);
