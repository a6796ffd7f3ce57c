using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Glance.V1;
using Cloud.Modules.Glance.V2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Glance;

/// <summary>
/// Everything on <c>glance_port</c>: version discovery (<c>/</c> answers 300 and <c>/versions</c> 200, as glance
/// does), the image API v1 and v2, and the store's error net: a store this server cannot use (misconfigured or
/// unreachable) is a 503 naming the cause, never a 4xx that blames the caller or a bare 500.
/// </summary>
public sealed partial class GlanceRoutes(GlanceV1Routes v1, GlanceV2Routes v2, ILogger<GlanceRoutes> log)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(StoreErrorsAsync);
        app.MapGet("/", context => GlanceJson.WriteAsync(context, StatusCodes.Status300MultipleChoices, Versions(context)));
        app.MapGet("/versions", context => GlanceJson.WriteAsync(context, StatusCodes.Status200OK, Versions(context)));
        v1.Map(app);
        v2.Map(app);
    }

    private async Task StoreErrorsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ImageStoreUnavailableException e) when (!context.Response.HasStarted)
        {
            LogStoreUnavailable(e.Message);
            await GlanceJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"The image store is unavailable: {e.Message}").ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!context.Response.HasStarted)
        {
            // The only outgoing HTTP of this API is the swift store's.
            LogStoreUnavailable(e.Message);
            await GlanceJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"The image store could not be reached: {e.Message}").ConfigureAwait(false);
        }
    }

    private static object Versions(HttpContext context)
    {
        var root = $"{context.Request.Scheme}://{context.Request.Host}";
        object Version(string id, string status, string path) => new { id, status, links = new[] { new { rel = "self", href = $"{root}/{path}/" } } };
        return new
        {
            versions = new[]
            {
                // Glance 25 with several stores enabled (2.8, 2.10-2.13: multi-store import and info; 2.12 image tasks;
                // 2.15 quota usage); 2.14 and 2.16 (the cache API) are left out as cloudd has no cache management API.
                Version("v2.15", "CURRENT", "v2"), Version("v2.13", "SUPPORTED", "v2"), Version("v2.12", "SUPPORTED", "v2"),
                Version("v2.11", "SUPPORTED", "v2"), Version("v2.10", "SUPPORTED", "v2"), Version("v2.9", "SUPPORTED", "v2"),
                Version("v2.8", "SUPPORTED", "v2"), Version("v2.7", "SUPPORTED", "v2"), Version("v2.6", "SUPPORTED", "v2"),
                Version("v2.5", "SUPPORTED", "v2"), Version("v2.4", "SUPPORTED", "v2"), Version("v2.3", "SUPPORTED", "v2"),
                Version("v2.2", "SUPPORTED", "v2"), Version("v2.1", "SUPPORTED", "v2"), Version("v2.0", "SUPPORTED", "v2"),
                Version("v1.1", "DEPRECATED", "v1"), Version("v1.0", "DEPRECATED", "v1"),
            },
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Image store unavailable: {Reason}")]
    private partial void LogStoreUnavailable(string reason);
}
