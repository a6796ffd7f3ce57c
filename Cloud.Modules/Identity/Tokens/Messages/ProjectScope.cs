namespace Cloud.Modules.Identity.Tokens;

/// <summary>The project a token is asked for: by id, or by name.</summary>
public sealed record ProjectScope(string? Id, string? Name);
