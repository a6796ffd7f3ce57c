namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>
/// The <c>application_credential</c> auth method's payload: the credential by <paramref name="Id"/>, or by
/// <paramref name="Name"/> among the credentials of the user given by <paramref name="UserId"/> or <paramref name="UserName"/>.
/// </summary>
public sealed record ApplicationCredentialLogin(string? Id, string? Name, string? UserId, string? UserName, string Secret);
