using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Cloud.Modules.Swift.Proxy.Pipeline;
using ICSharpCode.SharpZipLib.BZip2;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// <c>PUT ?extract-archive=tar|tar.gz|tar.bz2</c> (swift's <c>handle_extract_iter</c>): each regular file of the archive
/// becomes an object under the account or container of the request's path, the first segment of its name naming the
/// container (created when missing); directories, links, devices and files at the account's top level are skipped.
/// Every PUT is a sub-request as the client, so a member the client may not write fails alone.
/// </summary>
public static class BulkExtract
{
    // Regular files as tarfile's isfile() counts them.
    private static readonly HashSet<TarEntryType> Files = [TarEntryType.RegularFile, TarEntryType.V7RegularFile, TarEntryType.ContiguousFile];

    /// <summary>Runs the extraction; the result's pairs in swift's order and the failed members.</summary>
    public static async Task<(List<(string Key, object Value)> Results, List<(string Name, string Status)> Errors)> RunAsync(
        HttpContext client, Func<SwiftProxyEntry, Task> next, string path, string compression, string? format, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(failed);
        var status = "201 Created";
        var body = "";
        var created = new StrongBox<int>();
        var errors = new List<(string Name, string Status)>();
        try
        {
            await ExtractAsync(client, next, path, compression, format, created, errors).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                status = errors.Any(e => e.Status.StartsWith('5')) ? "502 Bad Gateway" : "400 Bad Request";
            }
            else if (created.Value == 0)
            {
                (status, body) = ("400 Bad Request", "Invalid Tar File: No Valid Files");
            }
        }
        catch (BulkRefusal refusal)
        {
            (status, body) = (BulkSubrequest.StatusLine(refusal.Status), refusal.Message);
        }
        catch (BulkArchiveException bad)
        {
            (status, body) = ("400 Bad Request", "Invalid Tar File: " + bad.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As swift's bulk: the operation's own failure goes into the answer's body, the details to the log.
            failed(e);
            status = "500 Internal Error";
        }
        await DrainAsync(client).ConfigureAwait(false);
        return ([("Response Status", status), ("Response Body", body), ("Number Files Created", created.Value)], errors);
    }

    private static async Task ExtractAsync(
        HttpContext client, Func<SwiftProxyEntry, Task> next, string path, string compression, string? format, StrongBox<int> created,
        List<(string Name, string Status)> errors)
    {
        if (format is null)
        {
            throw new BulkRefusal(StatusCodes.Status406NotAcceptable);
        }
        var request = client.Request;
        if (request.ContentLength is null && !request.Headers.TransferEncoding.ToString().Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            throw new BulkRefusal(StatusCodes.Status411LengthRequired);
        }
        var (version, account, extractBase) = Split(path);
        extractBase = extractBase.TrimEnd('/');
        var containersCreated = 0;
        var containersAccessed = new HashSet<string>(StringComparer.Ordinal);
        if (compression == "bz2" && client.Features.Get<IHttpBodyControlFeature>() is { } bodyControl)
        {
            // SharpZipLib's bzip2 decoder reads its input synchronously, which Kestrel refuses unless allowed.
            bodyControl.AllowSynchronousIO = true;
        }
        await using var archive = new BulkArchiveStream(() => Decompress(request.Body, compression), compression);
        await using var tar = new TarReader(archive, leaveOpen: true);
        var first = true;
        while (errors.Count < BulkLimits.MaxFailedExtractions)
        {
            var entry = await NextAsync(tar, archive, first, client.RequestAborted).ConfigureAwait(false);
            first = false;
            if (entry is null)
            {
                break;
            }
            if (!Files.Contains(entry.EntryType))
            {
                continue;
            }
            var objPath = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            objPath = objPath.TrimStart('/');
            if (extractBase.Length > 0)
            {
                objPath = extractBase + "/" + objPath;
            }
            if (!objPath.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }
            var destination = $"/{version}/{account}/{objPath}";
            var container = objPath.Split('/', 2)[0];
            var shownName = BulkSubrequest.Quote(Cut(objPath));
            if (destination.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add((shownName, "412 Precondition Failed"));
                continue;
            }
            if (entry.Length > SwiftProxyServer.MaxFileSize)
            {
                errors.Add((shownName, "413 Request Entity Too Large"));
                continue;
            }
            (string, string)? containerFailure = null;
            if (!containersAccessed.Contains(container))
            {
                var containerPath = $"/{version}/{account}/{container}";
                var (made, failure) = await CreateContainerAsync(client, next, containerPath).ConfigureAwait(false);
                if (made && ++containersCreated > BulkLimits.MaxContainersPerExtraction)
                {
                    throw new BulkRefusal(StatusCodes.Status400BadRequest, $"More than {BulkLimits.MaxContainersPerExtraction} containers to create from tar.");
                }
                if (failure is { } failedStatus)
                {
                    // The object PUT may still succeed (a container ACL can allow it without the container's HEAD).
                    containerFailure = (BulkSubrequest.Quote(Cut(containerPath)), BulkSubrequest.StatusLine(failedStatus));
                    if (failedStatus == StatusCodes.Status401Unauthorized)
                    {
                        throw new BulkRefusal(StatusCodes.Status401Unauthorized);
                    }
                }
            }
            var member = new BulkMemberStream(entry.DataStream ?? Stream.Null, entry.Length);
            var answer = await BulkSubrequest.RunAsync(client, next, "PUT", BulkSubrequest.Quote(destination), member, entry.Length,
                HeadersFor(request.Headers, entry)).ConfigureAwait(false);
            if (member.Truncated)
            {
                throw new BulkArchiveException("unexpected end of data");
            }
            containersAccessed.Add(container);
            if (answer is >= 200 and < 300)
            {
                created.Value++;
                continue;
            }
            if (containerFailure is { } containerFailed)
            {
                errors.Add(containerFailed);
            }
            if (answer == StatusCodes.Status401Unauthorized)
            {
                errors.Add((shownName, "401 Unauthorized"));
                throw new BulkRefusal(StatusCodes.Status401Unauthorized);
            }
            errors.Add((shownName, BulkSubrequest.StatusLine(answer)));
        }
    }

    /// <summary>
    /// Reads what the tar reader left of the body (the archive's end padding, or what follows a refusal) before the
    /// answer: Kestrel answering while the body is unread and then draining it itself raced with the client closing the
    /// connection ("Reading is already in progress" logged for one extraction in ten).
    /// </summary>
    private static async Task DrainAsync(HttpContext client)
    {
        try
        {
            await client.Request.Body.CopyToAsync(Stream.Null, client.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away or sent a broken body: there is nothing left to read, and the answer is already decided.
        }
    }

    /// <summary>The next entry, or null at the archive's end; a damaged archive as tarfile names it.</summary>
    private static async Task<TarEntry?> NextAsync(TarReader tar, BulkArchiveStream archive, bool first, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            return entry is null && first ? throw new BulkArchiveException("empty file") : entry;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            var message = !first ? "unexpected end of data"
                : archive.Consumed == 0 ? "empty file"
                : archive.Consumed < 512 ? "truncated header"
                : "bad checksum";
            throw new BulkArchiveException(message, e);
        }
    }

    /// <summary>HEAD, then PUT when missing (swift's create_container): whether it was created, and the status when neither worked.</summary>
    private static async Task<(bool Created, int? Failure)> CreateContainerAsync(HttpContext client, Func<SwiftProxyEntry, Task> next, string containerPath)
    {
        var quoted = BulkSubrequest.Quote(containerPath);
        var head = await BulkSubrequest.RunAsync(client, next, "HEAD", quoted).ConfigureAwait(false);
        if (head is >= 200 and < 300)
        {
            return (false, null);
        }
        if (head != StatusCodes.Status404NotFound)
        {
            return (false, head);
        }
        var put = await BulkSubrequest.RunAsync(client, next, "PUT", quoted).ConfigureAwait(false);
        return put is >= 200 and < 300 ? (true, null) : (false, put);
    }

    /// <summary>The client's X-Delete-At/-After and X-Object-Meta-*, then the member's pax mime type and user.meta xattrs.</summary>
    private static List<KeyValuePair<string, string>> HeadersFor(IHeaderDictionary client, TarEntry entry)
    {
        var headers = client
            .Where(h => h.Key.Equals("X-Delete-At", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("X-Delete-After", StringComparison.OrdinalIgnoreCase)
                || h.Key.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase))
            .Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))
            .ToList();
        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (PaxHeader(key) is { } name)
                {
                    headers.Add(KeyValuePair.Create(name, value));
                }
            }
        }
        return headers;
    }

    private static string? PaxHeader(string key)
    {
        foreach (var prefix in (string[])["SCHILY.xattr.user.", "LIBARCHIVE.xattr.user."])
        {
            if (key == prefix + "mime_type")
            {
                return "Content-Type";
            }
            if (key.StartsWith(prefix + "meta.", StringComparison.Ordinal) && key.Length > prefix.Length + 5)
            {
                return "X-Object-Meta-" + key[(prefix.Length + 5)..];
            }
        }
        return null;
    }

    private static Stream Decompress(Stream body, string compression) =>
        compression switch
        {
            "gz" => new GZipStream(body, CompressionMode.Decompress, leaveOpen: true),
            "bz2" => new BZip2InputStream(body) { IsStreamOwner = false },
            _ => body,
        };

    /// <summary>swift's <c>split_path(2, 3, True)</c> of the request path: version, account, and the rest (container[/prefix]).</summary>
    public static (string Version, string Account, string Remainder) Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.TrimStart('/').Split('/', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new BulkRefusal(StatusCodes.Status404NotFound);
        }
        return (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), parts.Length > 2 ? Uri.UnescapeDataString(parts[2]) : "");
    }

    private static string Cut(string name) => name.Length > BulkLimits.MaxPathLength ? name[..BulkLimits.MaxPathLength] : name;
}
