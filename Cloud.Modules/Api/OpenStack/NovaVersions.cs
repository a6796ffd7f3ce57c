using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Version discovery (<c>GET /</c>, <c>GET /v2.1</c>) and microversion negotiation (api-compat §3.1): a request asks with
/// <c>OpenStack-API-Version: compute X</c> (or the legacy <c>X-OpenStack-Nova-API-Version</c>); none means 2.1,
/// <c>latest</c> means <see cref="Maximum"/>, anything outside [2.1, maximum] is 406 and garbage 400. The version
/// chosen is echoed and kept for the request (<see cref="Of"/>); every answer carries nova's request id headers.
/// </summary>
public static class NovaVersions
{
    /// <summary>The highest microversion served: Nova 26 (Zed)'s, the peer's.</summary>
    public static readonly Microversion Maximum = new(2, 93);

    public static readonly Microversion Minimum = new(2, 1);

    /// <summary>Kept for callers that print the base version.</summary>
    public const string Version = "2.1";

    private const string Updated = "2013-07-23T11:33:21Z";

    private static readonly object VersionKey = new();

    private static readonly object RequestIdKey = new();

    /// <summary>The microversion of this request (2.1 outside the Compute API's pipeline).</summary>
    public static Microversion Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(VersionKey, out var v) && v is Microversion version ? version : Minimum;
    }

    /// <summary>This request's <c>req-&lt;uuid&gt;</c>, as in <c>x-compute-request-id</c> (instance actions record it).</summary>
    public static string RequestId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(RequestIdKey, out var id) && id is string text)
        {
            return text;
        }
        var made = "req-" + Guid.NewGuid().ToString();
        context.Items[RequestIdKey] = made;
        return made;
    }

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
            ["links"] = new object[] { Self(context, "/v2.1/")[0], new { rel = "describedby", type = "text/html", href = "http://docs.openstack.org/" } },
            ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.compute+json;version=2.1" } },
        },
    });

    private static Dictionary<string, object> V21(HttpContext context) => new()
    {
        ["id"] = "v2.1",
        ["status"] = "CURRENT",
        ["version"] = Maximum.ToString(),
        ["min_version"] = Minimum.ToString(),
        ["updated"] = Updated,
        ["links"] = Self(context, "/v2.1/"),
    };

    private static object[] Self(HttpContext context, string path) => [new { rel = "self", href = NovaJson.BaseUrl(context) + path }];

    private static async Task NegotiateAsync(HttpContext context, RequestDelegate next)
    {
        var requestId = RequestId(context);
        context.Response.Headers["x-openstack-request-id"] = requestId;
        context.Response.Headers["x-compute-request-id"] = requestId;
        context.Response.Headers.Vary = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
        var asked = Asked(context.Request.Headers);
        var version = Minimum;
        if (asked == "latest")
        {
            version = Maximum;
        }
        else if (asked is not null)
        {
            if (!Microversion.TryParse(asked, out version))
            {
                Echo(context, Minimum);
                await NovaJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"API Version String {asked} is of invalid format. Must be of format MajorNum.MinorNum.").ConfigureAwait(false);
                return;
            }
            if (version < Minimum || version > Maximum)
            {
                Echo(context, Minimum);
                await NovaJson.WriteErrorAsync(context, StatusCodes.Status406NotAcceptable,
                    $"Version {asked} is not supported by the API. Minimum is {Minimum} and maximum is {Maximum}.").ConfigureAwait(false);
                return;
            }
        }
        context.Items[VersionKey] = version;
        Echo(context, version);
        await next(context).ConfigureAwait(false);
    }

    private static void Echo(HttpContext context, Microversion version)
    {
        context.Response.Headers["X-OpenStack-Nova-API-Version"] = version.ToString();
        context.Response.Headers["OpenStack-API-Version"] = $"compute {version}";
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
}
