using System.Security.Cryptography;

namespace Cloud.Modules.Volume;

/// <summary>
/// A volume's incoming CHAP account, stored as nova's <c>provider_auth</c> "CHAP &lt;user&gt; &lt;secret&gt;". Random per
/// volume; the secret never appears in logs or API output.
/// </summary>
public sealed record ChapCredentials(string User, string Secret)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A fresh account: a 20-character user and a 16-character secret (CHAP's usual 12–16 bytes).</summary>
    public static ChapCredentials New() => new(RandomNumberGenerator.GetString(Alphabet, 20), RandomNumberGenerator.GetString(Alphabet, 16));

    /// <summary>The account in <paramref name="providerAuth"/>; null when there is none or it is not CHAP.</summary>
    public static ChapCredentials? Parse(string? providerAuth) =>
        providerAuth?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["CHAP", var user, var secret] ? new(user, secret) : null;

    public string ProviderAuth => $"CHAP {User} {Secret}";

    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"ChapCredentials {{ User = {User} }}";
}
