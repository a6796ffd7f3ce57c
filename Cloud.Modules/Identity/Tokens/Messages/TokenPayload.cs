using System.Text.Json.Serialization;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// What a token says, signed: who, scoped to which project (or domain <see cref="DomainId"/>, or the system), with which roles,
/// from when until when. <see cref="DomainId"/> is the scoped domain, or the scoped project's domain; null means the default
/// domain (tokens made before domains existed).
/// </summary>
public sealed record TokenPayload(
    [property: JsonPropertyName("u")] string UserId,
    [property: JsonPropertyName("n")] string UserName,
    [property: JsonPropertyName("p")] string? ProjectId,
    [property: JsonPropertyName("pn")] string? ProjectName,
    [property: JsonPropertyName("r")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("m")] IReadOnlyList<string> Methods,
    [property: JsonPropertyName("i")] DateTime IssuedAt,
    [property: JsonPropertyName("e")] DateTime ExpiresAt,
    [property: JsonPropertyName("a")] string AuditId,
    [property: JsonPropertyName("s")] bool System = false,
    [property: JsonPropertyName("d")] string? DomainId = null,
    [property: JsonPropertyName("dn")] string? DomainName = null,
    [property: JsonPropertyName("ud")] string? UserDomainId = null)
{
    /// <summary>Scoped to a domain: no project, not the system.</summary>
    public bool IsDomainScoped => ProjectId is null && !System && DomainId is not null;
}
