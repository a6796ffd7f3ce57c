namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>An access rule as asked for: an existing one of the user's by <paramref name="Id"/>, or a new one.</summary>
public sealed record AccessRuleRequest(string? Id, string? Service, string? Path, string? Method);
