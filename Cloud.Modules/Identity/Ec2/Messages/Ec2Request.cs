using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// What <see cref="Ec2SignatureVerifier"/> needs from one HTTP request, free of any web framework. Build it with
/// <see cref="FromRaw"/>, which decodes the query string and an <c>application/x-www-form-urlencoded</c> body
/// (how awscli and boto3 send EC2 Query actions) itself.
/// </summary>
/// <param name="Method">The HTTP method as sent, e.g. <c>POST</c>.</param>
/// <param name="Host">The <c>Host</c> header as received, port included (<c>127.0.0.1:8773</c>): both signature versions sign it.</param>
/// <param name="RawPath">The path as sent, still percent-encoded and without the query (<c>/services/Cloud</c>).</param>
/// <param name="QueryParameters">Decoded query-string parameters in wire order; names may repeat.</param>
/// <param name="FormParameters">Decoded form-body parameters in wire order; empty unless the body is a form.</param>
/// <param name="Headers">Header values by name; the dictionary must compare names case-insensitively.</param>
/// <param name="Body">The exact body bytes (SigV4 hashes them).</param>
public sealed record Ec2Request(
    string Method,
    string Host,
    string RawPath,
    IReadOnlyList<KeyValuePair<string, string>> QueryParameters,
    IReadOnlyList<KeyValuePair<string, string>> FormParameters,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    private const string FormMediaType = "application/x-www-form-urlencoded";

    /// <summary>
    /// Builds a request from what the HTTP layer received. From ASP.NET Core:
    /// <c>Ec2Request.FromRaw(r.Method, r.Host.Value, r.Path.ToUriComponent(), r.QueryString.Value,
    /// r.Headers.SelectMany(h =&gt; h.Value.Select(v =&gt; KeyValuePair.Create(h.Key, v ?? ""))), body, r.ContentType)</c>
    /// (take <c>r.Path</c> from <c>IHttpRequestFeature.RawTarget</c> when a path may contain escapes).
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="host">Host header value as received.</param>
    /// <param name="rawPath">Path as sent, percent-encoded; a query after <c>?</c> is cut off.</param>
    /// <param name="rawQuery">Query string as sent, with or without its leading <c>?</c>; null for none.</param>
    /// <param name="headers">Every header line; a name may occur more than once.</param>
    /// <param name="body">Body bytes.</param>
    /// <param name="contentType">Content-Type; null to take it from <paramref name="headers"/>.</param>
    public static Ec2Request FromRaw(
        string method,
        string host,
        string rawPath,
        string? rawQuery,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlyMemory<byte> body,
        string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);
        var question = rawPath.IndexOf('?');
        if (question >= 0)
        {
            rawQuery ??= rawPath[(question + 1)..];
            rawPath = rawPath[..question];
        }

        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (!byName.TryGetValue(name, out var values))
            {
                byName[name] = values = [];
            }
            values.Add(value);
        }
        var frozen = byName.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value, StringComparer.OrdinalIgnoreCase);

        contentType ??= frozen.TryGetValue("Content-Type", out var types) ? types[0] : null;
        var form = IsForm(contentType) && body.Length > 0
            ? AwsUriEncoding.ParsePairs(Encoding.UTF8.GetString(body.Span))
            : [];

        return new Ec2Request(method, host ?? "", rawPath, AwsUriEncoding.ParsePairs(rawQuery), form, frozen, body);
    }

    /// <summary>All values of a header joined with <c>,</c> (RFC 9110 list form), or null when absent.</summary>
    public string? GetHeader(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', values) : null;

    /// <summary>The first value of a parameter (case-sensitive name), looking in the query string first, then the form.</summary>
    public string? GetParameter(string name) => Find(QueryParameters, name) ?? Find(FormParameters, name);

    /// <summary>The query-string parameters followed by the form parameters.</summary>
    public IEnumerable<KeyValuePair<string, string>> AllParameters => QueryParameters.Concat(FormParameters);

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> pairs, string name)
    {
        foreach (var (key, value) in pairs)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }
        return null;
    }

    private static bool IsForm(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase);
    }
}
