using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's <c>check_delete_headers</c> for an object PUT or POST: X-Delete-After becomes an absolute X-Delete-At, and
/// either must be an integer time after now. Refusals are 400 text/plain with Swift's words, before anything is written.
/// </summary>
public static class ProxyObjectExpiry
{
    /// <summary>The X-Delete-At to store (null when the request sets none), or Swift's refusal.</summary>
    public static (string? DeleteAt, string? Refusal) Check(IHeaderDictionary headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var seconds = now.ToUnixTimeMilliseconds() / 1000m;
        if (headers.TryGetValue("X-Delete-After", out var afterValue))
        {
            if (!TryInteger(afterValue.ToString(), out var after))
            {
                return (null, "Non-integer X-Delete-After");
            }
            var at = (long)decimal.Floor(seconds + after);
            return at <= seconds ? (null, "X-Delete-After in past") : (at.ToString(CultureInfo.InvariantCulture), null);
        }
        if (headers.TryGetValue("X-Delete-At", out var atValue))
        {
            if (!TryInteger(atValue.ToString(), out var at))
            {
                return (null, "Non-integer X-Delete-At");
            }
            return at <= seconds ? (null, "X-Delete-At in past") : (at.ToString(CultureInfo.InvariantCulture), null);
        }
        return (null, null);
    }

    /// <summary>Writes Swift's 400 for <paramref name="refusal"/> (text/plain, as check_delete_headers answers).</summary>
    public static Task RefuseAsync(HttpContext context, string refusal) =>
        SwiftProxyReply.PlainErrorAsync(context, StatusCodes.Status400BadRequest, refusal);

    // Python's int(): optional sign and surrounding blanks, decimal digits only.
    private static bool TryInteger(string value, out long result) =>
        long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
}
