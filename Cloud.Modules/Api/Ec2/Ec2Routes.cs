using System.Globalization;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// The EC2 Query API at <c>/services/Cloud</c>: every request is authenticated by its AWS signature (V4 or V2)
/// against the user's EC2 keys, then dispatched on <c>Action</c>. This issue's actions: DescribeRegions and
/// DescribeAvailabilityZones here, the compute and image actions in the <see cref="IEc2Actions"/> groups.
/// </summary>
public sealed class Ec2Routes(
    AuthenticationApi authenticator,
    ServiceGroup services,
    IEnumerable<IEc2Actions> groups,
    IOptions<ApiFlags> flags,
    IOptions<IdentityFlags> identityFlags)
{
    private readonly Dictionary<string, Func<Ec2Call, Task<System.Xml.Linq.XDocument>>> _actions =
        groups.SelectMany(g => g.Actions).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    private readonly Dictionary<string, Func<Ec2Call, Task<Ec2Written>>> _writtenActions =
        groups.OfType<IEc2WrittenActions>().SelectMany(g => g.WrittenActions).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    public void Map(WebApplication app) => app.MapMethods("/services/Cloud", ["GET", "POST"], HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var requestId = (string)context.Items[nameof(Kernel.Auth.RequestContext.RequestId)]!;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var request = Ec2Request.FromRaw(
            context.Request.Method,
            context.Request.Host.Value ?? "",
            context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Split('?')[0] ?? context.Request.Path.Value ?? "/",
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : null,
            context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))),
            body.ToArray(),
            context.Request.ContentType);
        var verified = await authenticator.VerifyEc2Async(request, context.RequestAborted).ConfigureAwait(false);
        if (!verified.Succeeded)
        {
            await WriteErrorAsync(context, verified.HttpStatus, verified.ErrorCode!, verified.Message!).ConfigureAwait(false);
            return;
        }
        // Every action runs as the caller, in the caller's project; the compute actions check it with Policy.
        var caller = await authenticator.FromEc2Async(verified.Secret!, requestId, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted).ConfigureAwait(false);
        Kernel.Auth.Policy.RequireAuthenticated(caller);
        var action = verified.Action ?? request.GetParameter("Action");
        System.Xml.Linq.XDocument? response = null;
        Ec2Written? written = null;
        try
        {
            if (action is not null && _writtenActions.TryGetValue(action, out var writes))
            {
                written = await writes(new Ec2Call(caller, request, requestId, context.RequestAborted)).ConfigureAwait(false);
            }
            else
            {
                response = action switch
                {
                    "DescribeRegions" => DescribeRegions(requestId),
                    "DescribeAvailabilityZones" => await DescribeAvailabilityZonesAsync(requestId, context.RequestAborted).ConfigureAwait(false),
                    null or "" => throw new Ec2ActionException("MissingAction", "The request must contain the parameter Action."),
                    _ when _actions.TryGetValue(action, out var handler) =>
                        await handler(new Ec2Call(caller, request, requestId, context.RequestAborted)).ConfigureAwait(false),
                    _ => throw new Ec2ActionException("InvalidAction", $"The action {action} is not valid for this web service."),
                };
            }
        }
        catch (Ec2ActionException e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Code, e.Message).ConfigureAwait(false);
            return;
        }
        catch (CloudException e) when (e.Kind != CloudErrorKind.Unauthorized)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, Ec2Errors.Default(action!, e), e.Message).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        if (written is not null)
        {
            Ec2XmlWriting.Write(context.Response.BodyWriter, requestId, written);
        }
        else
        {
            Kernel.IO.XmlText.WriteUtf8(response!, context.Response.BodyWriter);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>EC2 errors as EC2 writes them, with a Date header botocore uses to correct clock skew.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        var requestId = context.Items.TryGetValue(nameof(Kernel.Auth.RequestContext.RequestId), out var id) ? (string)id! : "";
        context.Response.StatusCode = status;
        context.Response.ContentType = Ec2ErrorResponse.ContentType;
        context.Response.Headers.Date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        return context.Response.WriteAsync(Ec2ErrorResponse.Build(code, message, requestId), context.RequestAborted);
    }

    /// <summary>The HttpServer error writer for this endpoint: cloud refusals in EC2's shape.</summary>
    public static Task WriteServerErrorAsync(HttpContext context, int status, string message) =>
        WriteErrorAsync(context, status, status switch
        {
            StatusCodes.Status404NotFound => "InvalidAction",
            StatusCodes.Status413PayloadTooLarge => "RequestEntityTooLarge",
            >= 500 => "InternalError",
            _ => "InvalidRequest",
        }, message);

    /// <summary>Nova's access keys may carry the project as <c>access:project</c>; the secret belongs to the access part.</summary>
    private System.Xml.Linq.XDocument DescribeRegions(string requestId) =>
        Ec2Xml.Response("DescribeRegions", requestId, Ec2Xml.Set("regionInfo",
        [
            [Ec2Xml.Element("regionName", identityFlags.Value.RegionName == "RegionOne" ? "nova" : identityFlags.Value.RegionName), Ec2Xml.Element("regionEndpoint", flags.Value.Ec2Url)],
        ]));

    private async Task<System.Xml.Linq.XDocument> DescribeAvailabilityZonesAsync(string requestId, CancellationToken cancellationToken)
    {
        var rows = await services.ListAsync(cancellationToken).ConfigureAwait(false);
        var zones = rows.GroupBy(s => s.AvailabilityZone).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IEnumerable<System.Xml.Linq.XElement>)
            [
                Ec2Xml.Element("zoneName", g.Key),
                Ec2Xml.Element("zoneState", g.Any(s => !s.Disabled && services.IsUp(s)) ? "available" : "unavailable"),
                Ec2Xml.Element("regionName", "nova"),
                Ec2Xml.Element("messageSet"),
            ]);
        return Ec2Xml.Response("DescribeAvailabilityZones", requestId, Ec2Xml.Set("availabilityZoneInfo", zones));
    }
}
