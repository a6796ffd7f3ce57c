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

    [GeneratedRegex("[ _.]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"[^\w.-]+")]
    private static partial Regex Disallowed();
}
