using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// <c>REPLICATE /device/partition/hash</c> on the container and account servers, with a <see cref="DatabaseReplica"/>
/// as JSON body. A replica with info (and a batch of rows, with its sync point) is merged first, creating the database
/// if this node lacks it. Then the answer is 204 when this node's digest equals the sender's, 404 when it has no such
/// database, and otherwise 200 with the sync point this node keeps for the sender's database, for it to send the rows
/// after it. The answer never carries rows, so it stays small whatever the database's size.
/// </summary>
public sealed class DatabaseReplicationEndpoint(SwiftStorageFlags flags, DatabaseKind kind)
{
    /// <summary>Adds the REPLICATE route.</summary>
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods("/{**path}", ["REPLICATE"], HandleAsync);
    }

    /// <summary><c>&lt;device&gt;/&lt;containers|accounts&gt;/&lt;partition&gt;/&lt;suffix&gt;/&lt;hash&gt;/&lt;hash&gt;.db</c>.</summary>
    public static string FileOf(string devicePath, DatabaseKind kind, int partition, string hash)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Path.Combine(devicePath, kind.DirectoryName, partition.ToString(CultureInfo.InvariantCulture), hash[^3..], hash, hash + ".db");
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
            var parts = raw.Split('?')[0].TrimStart('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || parts[2].Length != 32 || !parts[2].All(char.IsAsciiHexDigitLower))
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Invalid path: expected /device/partition/hash");
            }
            var file = FileOf(ContainerDrive.Resolve(flags, parts[0]), kind, partition, parts[2]);
            DatabaseReplica? peer;
            try
            {
                peer = await JsonSerializer.DeserializeAsync<DatabaseReplica>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Invalid replica: " + e.Message);
            }
            if (peer is null)
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Missing replica");
            }
            if (peer is { Info: not null })
            {
                await DatabaseReplica.MergeAsync(file, kind, peer).ConfigureAwait(false);
            }
            var mine = await DatabaseReplica.LoadHeadAsync(file, kind).ConfigureAwait(false);
            if (mine is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (mine.Digest == peer.Digest)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            context.Response.ContentType = "application/json";
            var answer = new DatabaseReplica { Digest = mine.Digest, Id = mine.Id, Point = await DatabaseReplica.PointForAsync(file, peer.Id).ConfigureAwait(false) };
            await JsonSerializer.SerializeAsync(context.Response.Body, answer, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (ContainerHttpException e)
        {
            await DatabaseServerHttp.WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }
}
