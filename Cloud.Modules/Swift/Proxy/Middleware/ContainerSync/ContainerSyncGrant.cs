using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.ContainerSync;

/// <summary>
/// A write another cluster's container-sync daemon made (swift's <c>swift.authorize_override</c> for a valid
/// X-Container-Sync-Auth, tempauth's sync-key check for X-Container-Sync-Key): it opens one object of one container
/// without a token, and the object is written or deleted with the sender's X-Timestamp, so an older write loses.
/// </summary>
/// <param name="Account">The account the write goes to.</param>
/// <param name="Container">The container it goes to.</param>
/// <param name="Timestamp">The sender's X-Timestamp, normalised (<c>0000000000.00000</c>).</param>
public sealed record ContainerSyncGrant(string Account, string Container, string Timestamp)
{
    private const string ItemKey = "swift.container_sync.grant";

    /// <summary>The request's grant, or null.</summary>
    public static ContainerSyncGrant? Of(HttpContext context) => context?.Items[ItemKey] as ContainerSyncGrant;

    /// <summary>Gives the request this grant.</summary>
    public void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ItemKey] = this;
    }

    /// <summary>Whether it opens <paramref name="container"/> of <paramref name="account"/>.</summary>
    public bool Allows(string account, string? container) => account == Account && container == Container;

    /// <summary>Swift's normalize_timestamp of an X-Timestamp; null when it is not a timestamp (negative, not a number).</summary>
    public static string? Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // An internal timestamp's offset (_hex) is not something a client sends; the seconds are what count.
        var seconds = value.Split('_')[0];
        return decimal.TryParse(seconds, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) && parsed < 10_000_000_000m
            ? Math.Round(parsed, 5, MidpointRounding.ToEven).ToString("0000000000.00000", CultureInfo.InvariantCulture)
            : null;
    }
}
