namespace Cloud.Modules.Identity;

/// <summary>
/// The filters of <c>GET /v3/role_assignments</c>: each null filter matches everything; <paramref name="System"/> keeps
/// system assignments only; <paramref name="Effective"/> expands groups into their members, implied roles and inheritance
/// (and leaves out the group and inherited rows themselves, as Keystone does).
/// </summary>
public sealed record AssignmentQuery(
    string? UserId = null,
    string? GroupId = null,
    string? RoleId = null,
    string? ProjectId = null,
    string? DomainId = null,
    bool System = false,
    bool Effective = false,
    bool IncludeSubtree = false);
