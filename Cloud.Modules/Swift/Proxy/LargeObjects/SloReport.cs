using System.Security;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// The body of a manifest PUT's refusal, of a heartbeat PUT and of a <c>multipart-manifest=delete</c>, as swift's
/// bulk <c>get_response_body</c> writes it in the format the client's Accept picks: text/plain (<c>Key: value</c>
/// lines in key order, then <c>Errors:</c> and one <c>name, status</c> line each), application/json (the keys and an
/// <c>Errors</c> list of pairs) or application/xml and text/xml.
/// </summary>
public static class SloReport
{
    /// <summary>The Content-Type swift answers with for the client's Accept.</summary>
    public static string ContentTypeFor(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) ? "application/json"
            : accept.Contains("application/xml", StringComparison.OrdinalIgnoreCase) ? "application/xml"
            : accept.Contains("text/xml", StringComparison.OrdinalIgnoreCase) ? "text/xml"
            : "text/plain";
    }

    /// <summary>The report in <paramref name="contentType"/>; <paramref name="rootTag"/> names XML's root (upload, delete).</summary>
    public static byte[] Format(string contentType, IReadOnlyDictionary<string, object> data, IReadOnlyList<(string Name, string Status)> errors, string rootTag)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(errors);
        if (contentType == "application/json")
        {
            var all = new Dictionary<string, object>(data) { ["Errors"] = errors.Select(e => new[] { e.Name, e.Status }).ToArray() };
            return JsonSerializer.SerializeToUtf8Bytes(all);
        }
        var text = new StringBuilder();
        var sorted = data.OrderBy(d => d.Key, StringComparer.Ordinal);
        if (contentType.EndsWith("/xml", StringComparison.Ordinal))
        {
            text.Append('<').Append(rootTag).Append(">\n");
            foreach (var (key, value) in sorted)
            {
                var tag = key.Replace(' ', '_').ToLowerInvariant();
                text.Append('<').Append(tag).Append('>').Append(SecurityElement.Escape(value.ToString())).Append("</").Append(tag).Append(">\n");
            }
            text.Append("<errors>\n");
            foreach (var (name, status) in errors)
            {
                text.Append("<object><name>").Append(SecurityElement.Escape(name)).Append("</name><status>").Append(SecurityElement.Escape(status)).Append("</status></object>\n");
            }
            text.Append("</errors>\n</").Append(rootTag).Append(">\n");
            return Encoding.UTF8.GetBytes(text.ToString());
        }
        foreach (var (key, value) in sorted)
        {
            text.Append(key).Append(": ").Append(value).Append('\n');
        }
        text.Append("Errors:\n");
        foreach (var (name, status) in errors)
        {
            text.Append(name).Append(", ").Append(status).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
