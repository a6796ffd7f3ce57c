namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// The scope a token is asked for: a project by id, or by name (in the domain <paramref name="DomainId"/> or
/// <paramref name="DomainName"/> when given); a domain (no project, <paramref name="DomainId"/> or <paramref name="DomainName"/>);
/// or the system (<paramref name="System"/>, Keystone's <c>{"system": {"all": true}}</c>).
/// </summary>
public sealed record ProjectScope(string? Id, string? Name, bool System = false, string? DomainId = null, string? DomainName = null)
{
    public bool IsDomain => !System && Id is null && Name is null && (DomainId is not null || DomainName is not null);
}
