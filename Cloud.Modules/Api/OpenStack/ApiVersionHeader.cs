using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>The microversion a request asks of one service in <c>OpenStack-API-Version: &lt;service&gt; X</c> (nova and Cinder alike).</summary>
public static class ApiVersionHeader
{
    /// <summary>The version asked of <paramref name="service"/> (lower case: <c>latest</c> or <c>N.M</c>), null when none is.</summary>
    public static string? Asked(IHeaderDictionary headers, string service)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var value in headers["OpenStack-API-Version"].SelectMany(v => (v ?? "").Split(',')))
        {
            var parts = value.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals(service, StringComparison.OrdinalIgnoreCase))
            {
                return parts[1].ToLowerInvariant();
            }
        }
        return null;
    }
}
