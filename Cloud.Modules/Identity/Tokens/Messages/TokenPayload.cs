using System.Text.Json.Serialization;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// What a token says, signed: who, scoped to which project, with which roles, from when until when, and the application
/// credential it was made with, if any (deleting that credential ends the token).
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
    [property: JsonPropertyName("ac"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApplicationCredentialId = null);
