using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// <c>PUT ?multipart-manifest=put&amp;heartbeat=on</c>: swift's slo answers 202 at once and writes a space while it
/// checks the segments (the first at once, then every <see cref="YieldFrequency"/>), so that a client's connection
/// does not time out on a long manifest; the real outcome follows a blank line, as a <see cref="SloReport"/> with the
/// status it would have answered.
/// </summary>
public sealed class SloHeartbeat(HttpContext context)
{
    /// <summary>swift's slo yield_frequency.</summary>
    public static readonly TimeSpan YieldFrequency = TimeSpan.FromSeconds(10);

    private readonly Stopwatch _sinceBeat = new();
    private readonly string _contentType = SloReport.ContentTypeFor(context.Request);

    /// <summary>Whether the request asks for a heartbeat.</summary>
    public static bool Asked(SwiftProxyRequest request) =>
        ProxySloHandler.Asks(request.Query, "put") && request.Query.TrimStart('?').Split('&').Contains("heartbeat=on", StringComparer.Ordinal);

    /// <summary>Sends the 202 and a space the first time, then a space when <see cref="YieldFrequency"/> has passed.</summary>
    public async Task BeatAsync()
    {
        var response = context.Response;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status202Accepted;
            response.ContentType = _contentType;
        }
        else if (_sinceBeat.Elapsed < YieldFrequency)
        {
            return;
        }
        await response.Body.WriteAsync(" "u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        _sinceBeat.Restart();
    }

    /// <summary>The manifest is stored: the 201 swift would have sent, with its ETag and Last-Modified.</summary>
    public Task SucceededAsync(string quotedEtag, DateTimeOffset lastModified) => EndAsync(new Dictionary<string, object>
    {
        ["Response Status"] = "201 Created",
        ["Etag"] = quotedEtag,
        ["Last Modified"] = lastModified.ToString("R", CultureInfo.InvariantCulture),
        ["Response Body"] = "",
    }, []);

    /// <summary>The manifest was refused (<paramref name="status"/>), for the segments' <paramref name="problems"/> if any.</summary>
    public Task FailedAsync(int status, IReadOnlyList<(string Name, string Status)> problems) => EndAsync(new Dictionary<string, object>
    {
        ["Response Status"] = $"{status} {ReasonPhrases.GetReasonPhrase(status)}",
        ["Response Body"] = SwiftErrorPage.Reason(status) is { } reason ? $"{reason.Title}\n{reason.Explanation}" : "",
    }, problems);

    private async Task EndAsync(Dictionary<string, object> data, IReadOnlyList<(string Name, string Status)> problems)
    {
        await BeatAsync().ConfigureAwait(false);
        var body = Encoding.UTF8.GetBytes("\r\n\r\n").Concat(SloReport.Format(_contentType, data, problems, "upload")).ToArray();
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
