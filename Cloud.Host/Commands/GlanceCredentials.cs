namespace Cloud.Host.Commands;

/// <summary>Who <c>cloudd glance</c> authenticates as, from the options or the OS_* environment of the real clients.</summary>
/// <param name="AuthUrl">Keystone, e.g. http://HOST:5000/v3 (OS_AUTH_URL).</param>
/// <param name="User">OS_USERNAME.</param>
/// <param name="Password">OS_PASSWORD.</param>
/// <param name="Project">OS_PROJECT_NAME.</param>
/// <param name="ImageUrl">The image API, when not the catalog's (OS_IMAGE_URL).</param>
public sealed record GlanceCredentials(string AuthUrl, string User, string Password, string Project, string? ImageUrl);
