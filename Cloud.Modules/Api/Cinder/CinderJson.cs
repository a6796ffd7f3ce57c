using System.Globalization;
using Cloud.Modules.Api.OpenStack;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// Cinder's JSON conventions where they differ from nova's: errors in the same <c>{"itemNotFound": {...}}</c> shape, but a
/// quota refusal is 413 <c>overLimit</c>; timestamps with microseconds and no zone (<c>2026-12-06T11:50:07.000000</c>).
/// </summary>
public static class CinderJson
{
    /// <summary>Errors as Cinder writes them; cinderclient and osc print <c>message</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        NovaJson.WriteErrorAsync(context, IsQuota(status, message) ? StatusCodes.Status413PayloadTooLarge : status, message);

    /// <summary>Cinder's VolumeSizeExceedsAvailableQuota and VolumeLimitExceeded are 413s; the volume module words them as quota refusals.</summary>
    public static bool IsQuota(int status, string message) =>
        status == StatusCodes.Status403Forbidden && message.Contains("quota", StringComparison.OrdinalIgnoreCase);

    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static string? Timestamp(DateTime? value) => value is { } v ? Timestamp(v) : null;

    /// <summary>self and bookmark links of a resource of the project (<c>volumes</c>, <c>snapshots</c>, <c>types</c>).</summary>
    public static object[] Links(HttpContext context, string projectId, string collection, string id) =>
    [
        new { rel = "self", href = $"{NovaJson.BaseUrl(context)}/v3/{projectId}/{collection}/{id}" },
        new { rel = "bookmark", href = $"{NovaJson.BaseUrl(context)}/{projectId}/{collection}/{id}" },
    ];
}
