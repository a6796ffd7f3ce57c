using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Version discovery (<c>GET /</c>, <c>GET /v2.1</c>) and microversion negotiation: 2.1 is both the minimum and the
/// maximum, so <c>latest</c> means 2.1, anything else is 406, and every answer echoes 2.1 (api-compat §3.1).
/// </summary>
public static class NovaVersions
{
    public const string Version = "2.1";

    private const string Updated = "2013-07-23T11:33:21Z";

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(NegotiateAsync);
        app.MapGet("/", context => NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            versions = new object[]
            {
                new { id = "v2.0", status = "SUPPORTED", version = "", min_version = "", updated = "2011-01-21T11:33:21Z", links = Self(context, "/v2/") },
                V21(context),
            },
        }));
        app.MapGet("/v2.1", ShowAsync); // also answers /v2.1/: routing ignores a trailing slash
    }

    private static Task ShowAsync(HttpContext context) => NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
    {
        version = new Dictionary<string, object>(V21(context))
        {
            ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.compute+json;version=2.1" } },
        },
    });

    private static Dictionary<string, object> V21(HttpContext context) => new()
    {
        ["id"] = "v2.1",
        ["status"] = "CURRENT",
        ["version"] = Version,
        ["min_version"] = Version,
        ["updated"] = Updated,
        ["links"] = Self(context, "/v2.1/"),
    };

    private static object[] Self(HttpContext context, string path) => [new { rel = "self", href = NovaJson.BaseUrl(context) + path }];

    private static async Task NegotiateAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers["X-OpenStack-Nova-API-Version"] = Version;
        context.Response.Headers["OpenStack-API-Version"] = $"compute {Version}";
        context.Response.Headers.Vary = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
        var asked = Asked(context.Request.Headers);
        if (asked is not null && asked != "latest" && asked != Version)
        {
            var status = IsVersion(asked) ? StatusCodes.Status406NotAcceptable : StatusCodes.Status400BadRequest;
            await NovaJson.WriteErrorAsync(context, status, status == StatusCodes.Status406NotAcceptable
                ? $"Version {asked} is not supported by the API. Minimum is {Version} and maximum is {Version}."
                : $"Invalid API version request string {asked}.").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The microversion asked for: <c>OpenStack-API-Version: compute X</c> first, then the legacy header.</summary>
    private static string? Asked(IHeaderDictionary headers)
    {
        if (ApiVersionHeader.Asked(headers, "compute") is { } asked)
        {
            return asked;
        }
        var legacy = headers["X-OpenStack-Nova-API-Version"].ToString().Trim();
        return legacy.Length == 0 ? null : legacy.ToLowerInvariant();
    }

    private static bool IsVersion(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }
}
