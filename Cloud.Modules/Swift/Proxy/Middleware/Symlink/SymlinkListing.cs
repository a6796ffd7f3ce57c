using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloud.Modules.Swift.Proxy.Middleware.Symlink;

/// <summary>
/// A container's JSON listing as swift's symlink middleware rewrites it: a symlink's row carries its target in the
/// parameters of its hash (<c>&lt;etag&gt;; symlink_target=c/o; symlink_target_account=...</c>, set when it was
/// written); they become <c>symlink_path</c> (and <c>symlink_etag</c>, <c>symlink_bytes</c> for a static link).
/// </summary>
public static partial class SymlinkListing
{
    /// <summary>
    /// An XML listing's hashes without the symlink parameters: swift's listing_formats builds XML from the JSON rows
    /// whose hash the symlink middleware already cleaned, and has no element for the target. Null when no row needs it.
    /// </summary>
    public static byte[]? RewriteXml(ReadOnlySpan<byte> xml)
    {
        if (!MayHoldParameters(xml))
        {
            return null;
        }
        var text = System.Text.Encoding.UTF8.GetString(xml);
        var changed = false;
        // Edited in place, so the container server's own XML (declaration, layout) goes out as it was written. The
        // parameters are separated by "; " and their values are percent-quoted, so an escaped '&amp;' is never one.
        var result = HashElement().Replace(text, match =>
        {
            var parts = match.Groups[1].Value.Split("; ");
            var kept = parts.Where((p, i) => i == 0 || !p.StartsWith("symlink_", StringComparison.OrdinalIgnoreCase)).ToArray();
            changed |= kept.Length != parts.Length;
            return $"<hash>{string.Join("; ", kept)}</hash>";
        });
        return changed ? System.Text.Encoding.UTF8.GetBytes(result) : null;
    }

    /// <summary>
    /// Whether any hash can carry parameters: they are separated by ';', which neither JSON nor XML escapes, so a body
    /// without one needs nothing done. Most listings have none, and parsing a page of 1,000 rows into a document only
    /// to find that was most of the proxy's own CPU for a listing.
    /// </summary>
    private static bool MayHoldParameters(ReadOnlySpan<byte> body) => body.Contains((byte)';');

    [System.Text.RegularExpressions.GeneratedRegex("<hash>([^<]*)</hash>")]
    private static partial System.Text.RegularExpressions.Regex HashElement();

    /// <summary>The rewritten listing, or null when no row needs it (the body then goes out as it came).</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> json, string account)
    {
        if (!MayHoldParameters(json))
        {
            return null;
        }
        JsonArray? rows;
        try
        {
            rows = JsonNode.Parse(json) as JsonArray;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (rows is null || !rows.Any(r => r is JsonObject o && o["hash"]?.GetValue<string>() is { } h && h.Contains(';', StringComparison.Ordinal)))
        {
            return null;
        }
        foreach (var row in rows.OfType<JsonObject>())
        {
            if (row["hash"]?.GetValue<string>() is not { } hash || !hash.Contains(';', StringComparison.Ordinal))
            {
                continue;
            }
            var parts = hash.Split(';');
            var kept = parts[0].Trim();
            string? target = null;
            var targetAccount = account;
            foreach (var part in parts.Skip(1))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    continue;
                }
                var (key, value) = (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim().Trim('"'));
                switch (key)
                {
                    case "symlink_target":
                        target = value;
                        break;
                    case "symlink_target_account":
                        targetAccount = value;
                        break;
                    case "symlink_target_etag":
                        row["symlink_etag"] = value;
                        break;
                    case "symlink_target_bytes" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes):
                        row["symlink_bytes"] = bytes;
                        break;
                    default:
                        kept += $"; {key}={value}";
                        break;
                }
            }
            row["hash"] = kept;
            if (target is not null)
            {
                row["symlink_path"] = $"/v1/{targetAccount}/{target}";
            }
        }
        return System.Text.Encoding.UTF8.GetBytes(rows.ToJsonString());
    }
}
