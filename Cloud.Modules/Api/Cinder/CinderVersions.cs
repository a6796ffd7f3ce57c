using System.Globalization;
using Cloud.Modules.Api.OpenStack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// Version discovery (<c>GET /</c>, <c>GET /v3/</c>, no token) and microversion negotiation (<c>OpenStack-API-Version:
/// volume 3.X</c>): 3.0 up to <see cref="Max"/>, <c>latest</c> = the maximum, a version outside the range 406, a malformed
/// one 400. 3.44 is the first version with the whole attachments flow (3.27's API and 3.44's <c>os-complete</c>).
/// </summary>
public static class CinderVersions
{
    public const int MaxMinor = 44;

    public static readonly string Min = "3.0";

    public static readonly string Max = $"3.{MaxMinor}";

    private const string Updated = "2018-07-17T00:00:00Z";

    private const string ItemKey = "cinder.microversion";

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(NegotiateAsync);
        // Cinder answers / with 300 Multiple Choices and /v3/ with 200; keystoneauth takes both.
        app.MapGet("/", context => NovaJson.WriteAsync(context, StatusCodes.Status300MultipleChoices, new { versions = new[] { V3(context) } }));
        app.MapGet("/v3", context => NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { versions = new[] { V3(context) } }));
    }

    /// <summary>The minor version the request negotiated (0 without a header).</summary>
    public static int Minor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is int minor ? minor : 0;
    }

    /// <summary>Whether the request asked for at least 3.<paramref name="minor"/>.</summary>
    public static bool AtLeast(HttpContext context, int minor) => Minor(context) >= minor;

    /// <summary>Refuses a route that needs 3.<paramref name="minor"/> when the request asked for less (Cinder's VersionNotFoundForAPIMethod).</summary>
    public static void Require(HttpContext context, int minor)
    {
        if (!AtLeast(context, minor))
        {
            throw Kernel.CloudException.NotFound($"API version 3.{Minor(context)} is not supported on this method (3.{minor} or later is).");
        }
    }

    private static Dictionary<string, object> V3(HttpContext context) => new()
    {
        ["id"] = "v3.0",
        ["status"] = "CURRENT",
        ["version"] = Max,
        ["min_version"] = Min,
        ["updated"] = Updated,
        ["links"] = new[] { new { rel = "self", href = NovaJson.BaseUrl(context) + "/v3/" } },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.volume+json;version=3" } },
    };

    private static async Task NegotiateAsync(HttpContext context, RequestDelegate next)
    {
        var asked = ApiVersionHeader.Asked(context.Request.Headers, "volume");
        int minor;
        if (asked is null)
        {
            minor = 0;
        }
        else if (asked == "latest")
        {
            minor = MaxMinor;
        }
        else if (Parse(asked) is not { } version)
        {
            await CinderJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"API Version String {asked} is of invalid format. Must be of format MajorNum.MinorNum.").ConfigureAwait(false);
            return;
        }
        else if (version.Major != 3 || version.Minor > MaxMinor)
        {
            await CinderJson.WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, $"Version {asked} is not supported by the API. Minimum is {Min} and maximum is {Max}.").ConfigureAwait(false);
            return;
        }
        else
        {
            minor = version.Minor;
        }
        context.Items[ItemKey] = minor;
        context.Response.Headers["OpenStack-API-Version"] = $"volume 3.{minor}";
        context.Response.Headers.Vary = "OpenStack-API-Version";
        await next(context).ConfigureAwait(false);
    }

    private static (int Major, int Minor)? Parse(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }
}
