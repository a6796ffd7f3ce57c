using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// The body that ends a bulk answer (swift's <c>get_response_body</c>): JSON, XML (no declaration) or the plain
/// <c>Key: value</c> lines, in the format the client's Accept picks among text/plain, application/json,
/// application/xml and text/xml.
/// </summary>
public static class BulkResultBody
{
    private static readonly string[] Formats = ["text/plain", "application/json", "application/xml", "text/xml"];

    /// <summary>
    /// swob's <c>accept.best_match</c> over bulk's formats: the client's types by falling quality, each matched against
    /// the formats in order; text/plain without an Accept; null when nothing is acceptable or the header is malformed.
    /// </summary>
    public static string? Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Formats[0];
        }
        var wanted = new List<(string Type, string Subtype, double Quality, int Order)>();
        foreach (var part in accept.Split(','))
        {
            var pieces = part.Split(';');
            var type = pieces[0].Trim().ToLowerInvariant();
            var slash = type.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == type.Length - 1)
            {
                return null;
            }
            var quality = 1.0;
            foreach (var parameter in pieces.Skip(1))
            {
                var pair = parameter.Split('=', 2);
                if (pair.Length == 2 && pair[0].Trim() == "q"
                    && !double.TryParse(pair[1].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality))
                {
                    return null;
                }
            }
            wanted.Add((type[..slash], type[(slash + 1)..], quality, wanted.Count));
        }
        foreach (var (type, subtype, quality, _) in wanted.OrderByDescending(w => w.Quality).ThenBy(w => w.Order))
        {
            if (quality <= 0)
            {
                continue;
            }
            if (Formats.FirstOrDefault(f => Matches(f, type, subtype)) is { } format)
            {
                return format;
            }
        }
        return null;
    }

    /// <summary>The result in <paramref name="format"/> (null: plain); <paramref name="root"/> is XML's root element ("extract" or "delete").</summary>
    public static byte[] Render(string? format, IReadOnlyList<(string Key, object Value)> results, IReadOnlyList<(string Name, string Status)> errors, string root)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(errors);
        if (format == "application/json")
        {
            // Keys in swift's order (its dict's insertion order), ASCII-only as Python's json.dumps, with ", " and ": ".
            var body = new StringBuilder("{");
            foreach (var (key, value) in results)
            {
                body.Append(Json(key)).Append(": ").Append(value is string text ? Json(text) : Convert.ToString(value, CultureInfo.InvariantCulture)).Append(", ");
            }
            body.Append("\"Errors\": [").AppendJoin(", ", errors.Select(e => $"[{Json(e.Name)}, {Json(e.Status)}]")).Append("]}");
            return Encoding.ASCII.GetBytes(body.ToString());
        }
        var sorted = results.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var output = new StringBuilder();
        if (format is not null && format.EndsWith("/xml", StringComparison.Ordinal))
        {
            output.Append('<').Append(root).Append(">\n");
            foreach (var (key, value) in sorted)
            {
                var tag = key.Replace(' ', '_').ToLowerInvariant();
                output.Append('<').Append(tag).Append('>').Append(Escape(Convert.ToString(value, CultureInfo.InvariantCulture)!)).Append("</").Append(tag).Append(">\n");
            }
            output.Append("<errors>\n");
            foreach (var (name, status) in errors)
            {
                output.Append("<object><name>").Append(Escape(name)).Append("</name><status>").Append(Escape(status)).Append("</status></object>\n");
            }
            output.Append("</errors>\n</").Append(root).Append(">\n");
            return Encoding.UTF8.GetBytes(output.ToString());
        }
        foreach (var (key, value) in sorted)
        {
            output.Append(key).Append(": ").Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        }
        output.Append("Errors:\n");
        foreach (var (name, status) in errors)
        {
            output.Append(name).Append(", ").Append(status).Append('\n');
        }
        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static bool Matches(string format, string type, string subtype)
    {
        var slash = format.IndexOf('/', StringComparison.Ordinal);
        return (type == "*" || type == format[..slash]) && (subtype == "*" || subtype == format[(slash + 1)..]);
    }

    // saxutils.escape: &, < and > only.
    private static string Escape(string text) => SecurityElement.Escape(text).Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&apos;", "'", StringComparison.Ordinal);

    private static string Json(string text)
    {
        var output = new StringBuilder("\"");
        foreach (var c in text)
        {
            output.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ when c < 0x20 || c > 0x7e => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return output.Append('"').ToString();
    }
}
