namespace Cloud.Modules.Compute;

/// <summary>What a rebuild asks for (nova's rebuild body); a member left null keeps what the instance has, unless its <c>*Given</c> says it was sent.</summary>
/// <param name="ImageRef">The image to rebuild from.</param>
/// <param name="Name">A new name, or null.</param>
/// <param name="Metadata">Metadata replacing the instance's, or null to keep it.</param>
/// <param name="KeyNameGiven">The body had key_name (2.54): <paramref name="KeyName"/> replaces the key pair, null removes it.</param>
/// <param name="KeyName">The new key pair's name.</param>
/// <param name="UserDataGiven">The body had user_data (2.57): <paramref name="UserData"/> replaces it, null removes it.</param>
/// <param name="UserData">The new base64 user data.</param>
/// <param name="DescriptionGiven">The body had description (2.19).</param>
/// <param name="Description">The new description, or null for none.</param>
/// <param name="PreserveEphemeral">Keep the ephemeral disk (cloudd's flavors have none).</param>
public sealed record RebuildRequest(
    string ImageRef,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    bool KeyNameGiven = false,
    string? KeyName = null,
    bool UserDataGiven = false,
    string? UserData = null,
    bool DescriptionGiven = false,
    string? Description = null,
    bool PreserveEphemeral = false);
