namespace Cloud.Modules.Swift.Proxy.KeystoneAuth;

/// <summary>
/// What keystoneauth knows of a caller with a valid Keystone token (its <c>_keystone_identity</c>): the user, the
/// project the token is scoped to (none for an unscoped or domain token), the token's roles, and the roles of the
/// <c>X-Service-Token</c>'s user when one came with it (empty otherwise).
/// </summary>
public sealed record KeystoneIdentity(string? UserId, string? ProjectId, IReadOnlyCollection<string> Roles, IReadOnlyCollection<string> ServiceRoles);
