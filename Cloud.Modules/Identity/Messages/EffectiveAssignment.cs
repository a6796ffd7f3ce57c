namespace Cloud.Modules.Identity;

/// <summary>
/// An assignment as <c>GET /v3/role_assignments</c> shows it: the row, and for an effective one the group it came
/// through (<paramref name="ViaGroupId"/>), the role that implied it (<paramref name="PriorRoleId"/>) and the target it
/// was inherited from (<paramref name="InheritedFromId"/>).
/// </summary>
public sealed record EffectiveAssignment(RoleAssignment Assignment, string? ViaGroupId = null, string? PriorRoleId = null, string? InheritedFromId = null);
