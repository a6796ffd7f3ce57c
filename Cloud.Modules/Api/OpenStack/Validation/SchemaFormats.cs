using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>The formats nova's schemas name (python-jsonschema's and nova's own checkers).</summary>
public static class SchemaFormats
{
    /// <summary>nova's reason for an invalid name (nova.api.validation.parameter_types.valid_name_regex).</summary>
    public const string NameReason = "printable characters. Can not start or end with whitespace.";

    /// <summary>
    /// Null when <paramref name="text"/> has <paramref name="format"/> (or the format is unknown, as jsonschema), ""
    /// when it does not, or nova's whole message when the checker raises its own error (an invalid name).
    /// </summary>
    public static string? Check(string format, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return format switch
        {
            "uuid" => IsUuidLike(text) ? null : "",
            "ipv4" => IsIpv4(text) ? null : "",
            "ipv6" => IsIpv6(text) ? null : "",
            "base64" => IsBase64(text) ? null : "",
            "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) ? null : "",
            "name" or "az_name" => IsName(text, trimmed: true) ? null : $"An invalid 'name' value was provided. The name must be: {NameReason}",
            "name_with_leading_trailing_spaces" or "az_name_with_leading_trailing_spaces" => IsName(text, trimmed: false) ? null
                : "An invalid 'name' value was provided. The name must be: printable characters with at least one non space character",
            "printable" => text.All(IsPrintable) ? null : "",
            "keypair_name_20" => KeypairName(text, "_- "),
            "keypair_name_292" => KeypairName(text, "@._- "),
            _ => null,
        };
    }

    /// <summary>oslo's is_uuid_like: a UUID with or without hyphens, braces or a urn:uuid: prefix, any case.</summary>
    public static bool IsUuidLike(string text) =>
        Guid.TryParse(text.Replace("urn:", "", StringComparison.Ordinal).Replace("uuid:", "", StringComparison.Ordinal), out _);

    /// <summary>python's ipaddress.IPv4Address: four decimal octets, no leading zeros.</summary>
    public static bool IsIpv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>python's ipaddress.IPv6Address without a scope id.</summary>
    public static bool IsIpv6(string text) =>
        text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
        && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    /// <summary>
    /// nova's name rule: every character printable (no control, format or line/paragraph separator characters), and
    /// (<paramref name="trimmed"/>) not starting or ending with whitespace; else at least one non-space character.
    /// </summary>
    private static bool IsName(string text, bool trimmed)
    {
        if (!text.All(IsPrintable))
        {
            return false;
        }
        if (!trimmed)
        {
            return text.Any(c => !IsSpace(c));
        }
        return text.Length == 0 || (!IsSpace(text[0]) && !IsSpace(text[^1]));
    }

    private static bool IsPrintable(char c)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator) && (category != UnicodeCategory.Surrogate);
    }

    private static bool IsSpace(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static string? KeypairName(string text, string symbols)
    {
        var safe = symbols + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return text.All(c => safe.Contains(c, StringComparison.Ordinal)) ? null : $"An invalid 'name' value was provided. The name must be: Only expected characters: [{safe}]";
    }
}
