using System.Security.Cryptography;
using System.Text.Json;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The body of <c>POST /servers</c> validated against nova's schema of its microversion, with the fields cloudd's
/// create request does not carry itself: description (2.19), access IPs, adminPass (made up when not given, as nova),
/// networks (<c>auto</c>/<c>none</c> from 2.37), tags (2.52), trusted certificates (2.63), hostname (2.90), disk config.
/// </summary>
public sealed record ServerCreateBody(JsonElement Server)
{
    /// <summary>nova's generated admin password length (password_length).</summary>
    private const int PasswordLength = 12;

    /// <summary>nova's password alphabet without look-alike characters (nova.utils.generate_password's default symbols).</summary>
    private const string PasswordSymbols = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public string? Description => NovaJson.String(Server, "description");

    public string? AccessIpV4 => NovaJson.String(Server, "accessIPv4");

    public string? AccessIpV6 => NovaJson.String(Server, "accessIPv6");

    public string DiskConfig => NovaJson.String(Server, "OS-DCF:diskConfig") ?? "MANUAL";

    public string? Hostname => NovaJson.String(Server, "hostname");

    /// <summary>The password given, or a new random one (nova returns it in the 202).</summary>
    public string AdminPass { get; } = NovaJson.String(Server, "adminPass") ?? NewPassword();

    /// <summary>A password as nova makes one up for create, rebuild and rescue.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(PasswordSymbols, PasswordLength);

    public IReadOnlyList<string> Tags => Server.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
        ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [];

    /// <summary>The trusted certificate ids as JSON (2.63), null when none.</summary>
    public string? TrustedCertificates => Server.TryGetProperty("trusted_image_certificates", out var certs) && certs.ValueKind == JsonValueKind.Array
        ? certs.GetRawText() : null;

    /// <summary>The network uuids asked for (empty for none, auto or no list).</summary>
    public IReadOnlyList<string> NetworkUuids => Server.TryGetProperty("networks", out var networks) && networks.ValueKind == JsonValueKind.Array
        ? [.. networks.EnumerateArray().Select(n => NovaJson.String(n, "uuid")).OfType<string>()] : [];

    /// <summary>networks "none" (2.37): the server is to have no NIC at all.</summary>
    public bool NoNetwork => Server.TryGetProperty("networks", out var networks) && networks.ValueKind == JsonValueKind.String && networks.GetString() == "none";

    /// <summary>Reads and validates the body; schema errors are nova's 400s.</summary>
    public static ServerCreateBody Parse(JsonElement body, Microversion version)
    {
        NovaSchemas.ServerCreate(version).Validate(body);
        return new ServerCreateBody(body.GetProperty("server"));
    }
}
