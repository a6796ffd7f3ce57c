using System.Net;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Api.Metadata;

/// <summary>
/// The metadata service's HTTP surface (nova-api-metadata on <c>--metadata_port</c>): GET and HEAD only, no token.
/// The guest is whoever holds the connection's source address as a fixed IP (or, with <c>--use_forwarded_for</c>,
/// the last address of X-Forwarded-For), and it hears about itself only; any other address gets a 404.
/// </summary>
public sealed partial class MetadataRoutes(GuestApi guests, FloatingIpApi floatingIps, IOptions<MetadataFlags> flags, IOptions<NetworkFlags> network, ILogger<MetadataRoutes> log)
{
    /// <summary>The largest request body read (and dropped); a larger one is answered 413 and its connection closed.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Map("/{**path}", ServeAsync);
    }

    private async Task ServeAsync(HttpContext context)
    {
        // Read any body to its end first: past MaxBodyBytes Kestrel refuses it with a 413 that says the connection closes,
        // where an unread body left the connection to be dropped under the guest's next request.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "The metadata service answers GET and HEAD only.").ConfigureAwait(false);
            return;
        }
        var (segments, status) = MetadataTree.Parse(context.Request.Path.Value);
        if (status != StatusCodes.Status200OK)
        {
            await WriteErrorAsync(context, status, status == StatusCodes.Status400BadRequest ? "The request path is malformed." : NotFound).ConfigureAwait(false);
            return;
        }
        if (MetadataTree.IsRoot(segments))
        {
            await WriteAsync(context, MetadataTree.Root).ConfigureAwait(false);
            return;
        }
        var address = GuestAddress(context);
        var guest = address is null ? null : await guests.FindByAddressAsync(address, context.RequestAborted).ConfigureAwait(false);
        if (guest is null)
        {
            LogUnknownGuest(address?.ToString() ?? "(none)", context.Request.Path.Value ?? "");
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
            return;
        }
        var floating = await floatingIps.OfInstancesAsync([guest.Instance.Uuid], context.RequestAborted).ConfigureAwait(false);
        var facts = new GuestFacts(guest, InstanceHostname.Qualified(guest.Instance, network.Value.DhcpDomain), floating.FirstOrDefault()?.Address);
        if (MetadataTree.Find(facts, segments) is { } node)
        {
            await WriteAsync(context, node).ConfigureAwait(false);
            return;
        }
        await WriteErrorAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
    }

    /// <summary>Errors as short plain text (guests read them with curl or wget), e.g. <c>404 Not Found</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return WriteAsync(context, MetadataNode.Text($"{status} {reason}\n\n{message}\n"));
    }

    private const string NotFound = "The resource could not be found.";

    private static async Task WriteAsync(HttpContext context, MetadataNode node)
    {
        var body = node.Render();
        context.Response.ContentType = node.ContentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private IPAddress? GuestAddress(HttpContext context) =>
        GuestAddressOf(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].LastOrDefault(), flags.Value.UseForwardedFor);

    /// <summary>
    /// The guest's address: the peer's, or with <paramref name="useForwardedFor"/> the last X-Forwarded-For entry (the
    /// one the trusted proxy added; earlier ones are whatever the guest claimed). IPv4-mapped IPv6 reads as IPv4, so a
    /// service listening on <c>::</c> still matches fixed IPs. Null when there is none or the header is not an address.
    /// </summary>
    public static IPAddress? GuestAddressOf(IPAddress? peer, string? forwardedFor, bool useForwardedFor)
    {
        var address = peer;
        if (useForwardedFor && !string.IsNullOrWhiteSpace(forwardedFor))
        {
            address = IPAddress.TryParse(forwardedFor.Split(',')[^1].Trim(), out var claimed) ? claimed : null;
        }
        return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No instance has fixed IP {Address}; refused metadata {Path}")]
    private partial void LogUnknownGuest(string address, string path);
}
