using System.Globalization;
using Cloud.Modules.Swift.Common;
using System.Text.Json;
using Cloud.Modules.Swift.Storage.DiskFile;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// The object server's replication verbs. <c>REPLICATE /device/partition[/suffix-suffix...]</c> answers the
/// partition's suffix hashes as JSON after rehashing the named suffixes (swift answers a pickle). <c>SYNC
/// /device/partition/hash/file</c> installs one .data, .ts or .meta file as the sender has it, body and metadata
/// (base64 JSON in <see cref="MetadataHeader"/>), unless this node has the same or a newer one (409); a .data whose
/// MD5 does not match its ETag is refused (422), so a rotten copy never spreads.
/// </summary>
public sealed partial class ObjectReplicationEndpoint(SwiftStorageFlags flags, SwiftConsistencyFlags consistency, TimeProvider clock, ILogger<ObjectReplicationEndpoint> log)
{
    /// <summary>The file's metadata, UTF-8 JSON in base64.</summary>
    public const string MetadataHeader = "X-Object-Metadata";

    /// <summary>Adds the REPLICATE and SYNC routes.</summary>
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods("/{**path}", ["REPLICATE"], ReplicateAsync);
        app.MapMethods("/{**path}", ["SYNC"], SyncAsync);
    }

    private async Task ReplicateAsync(HttpContext context)
    {
        try
        {
            var parts = Parts(context, 2, 3);
            var root = ContainerDrive.Resolve(flags, parts[0]);
            var partition = Partition(parts[1]);
            var suffixes = parts.Length > 2 ? parts[2].Split('-') : [];
            if (suffixes.Any(s => !PartitionHashes.IsSuffix(s)))
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Invalid suffix");
            }
            var partitionDirectory = Path.Combine(root, DataDirectory(context), partition.ToString(CultureInfo.InvariantCulture));
            IReadOnlyDictionary<string, string> hashes = Directory.Exists(partitionDirectory)
                ? PartitionHashes.Get(partitionDirectory, suffixes, TimeSpan.FromSeconds(consistency.ReclaimAge), clock.GetUtcNow())
                : new Dictionary<string, string>();
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(hashes), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ContainerHttpException e)
        {
            await DatabaseServerHttp.WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }

    private async Task SyncAsync(HttpContext context)
    {
        try
        {
            var parts = Parts(context, 4, 4);
            var root = ContainerDrive.Resolve(flags, parts[0]);
            var (hash, name) = (parts[2], parts[3]);
            var extension = Path.GetExtension(name);
            var timestamp = Path.GetFileNameWithoutExtension(name);
            if (hash.Length != 32 || !hash.All(char.IsAsciiHexDigitLower)
                || extension is not (FsDiskFile.DataExtension or FsDiskFile.TombstoneExtension or FsDiskFile.MetaExtension)
                || !SwiftTimestamp.TryNormalize(timestamp, out var normal) || normal != timestamp)
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid object file: {hash}/{name}");
            }
            var file = new FsDiskFile(root, Partition(parts[1]), hash, DataDirectory(context));
            if (IsSuperseded(file.Read(), timestamp, extension))
            {
                throw new ContainerHttpException(StatusCodes.Status409Conflict, "This node has the same or a newer file");
            }
            var metadata = Metadata(context.Request.Headers[MetadataHeader].ToString());
            if (extension != FsDiskFile.DataExtension)
            {
                file.WriteEmpty(name, metadata);
            }
            else
            {
                await using var writer = file.CreateWriter();
                var (etag, _) = await writer.WriteAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
                if (!string.Equals(metadata.GetValueOrDefault("ETag"), etag, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ContainerHttpException(StatusCodes.Status422UnprocessableEntity, "The content does not match its ETag");
                }
                writer.Commit(timestamp, metadata);
            }
            LogSynced(parts[0], hash, name);
            context.Response.StatusCode = StatusCodes.Status201Created;
        }
        catch (ContainerHttpException e)
        {
            await DatabaseServerHttp.WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>Whether what this node holds makes the incoming file useless: the newest file wins, a tombstone wins a tie.</summary>
    internal static bool IsSuperseded(DiskFileState current, string timestamp, string extension)
    {
        if (current.Timestamp is null)
        {
            return extension == FsDiskFile.MetaExtension;
        }
        var order = SwiftTimestamp.Compare(current.Timestamp, timestamp);
        return extension switch
        {
            FsDiskFile.MetaExtension => !current.Exists || SwiftTimestamp.Compare(current.MetadataTimestamp!, timestamp) >= 0,
            FsDiskFile.DataExtension => order >= 0,
            _ => order > 0 || (order == 0 && current.IsTombstone),
        };
    }

    private static Dictionary<string, string> Metadata(string header)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(Convert.FromBase64String(header))
                ?? throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Missing {MetadataHeader}");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {MetadataHeader}");
        }
    }

    private static string[] Parts(HttpContext context, int min, int max)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var parts = (query < 0 ? raw : raw[..query]).TrimStart('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        return parts.Length < min || parts.Length > max || parts.Any(p => p.Length == 0)
            ? throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Invalid replication path")
            : parts;
    }

    // The replicator names the storage policy it replicates, as the proxy does to the object server.
    private static string DataDirectory(HttpContext context) =>
        StoragePolicyIndex.Of(context.Request.Headers) is { } policy
            ? SwiftStoragePolicies.DataDirectory(policy)
            : throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {SwiftStoragePolicies.IndexHeader}");

    private static int Partition(string text) =>
        text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            ? partition
            : throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid partition: {text}");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Replicated {Device}/{Hash}/{Name} from a peer")]
    private partial void LogSynced(string device, string hash, string name);
}
