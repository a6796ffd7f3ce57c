using System.Globalization;
using System.Security.Cryptography;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UpdateShare = (System.Action<System.Net.Http.HttpRequestMessage> Apply, int Partition, System.Collections.Generic.IReadOnlyList<Cloud.Modules.Swift.Common.Ring.RingDevice> Nodes);

namespace Cloud.Modules.Swift.Proxy.Controllers;

/// <summary>
/// <c>/v1/{account}/{container}/{object}</c>: a PUT is streamed to every object replica as it arrives (a copy, a
/// chunked upload or a large object's manifest is spooled first), with one timestamp, and succeeds on a majority;
/// reads come from the first replica (then handoff) that has the object. Each object server updates the container
/// replicas named in X-Container-Host/-Device/-Partition itself (queuing an async pending when one is down). The
/// account's totals follow from the container updater, as in swift. A server-side copy arrives from
/// <see cref="Middleware.CopyMiddleware"/> as a PUT of the destination with <see cref="SwiftProxyRequest.Copy"/> set.
/// </summary>
public sealed class ObjectController(
    SwiftRings rings, SwiftBackend backend, ProxyContainerUpdates updates, ProxySloHandler slo, LargeObjectReads largeObjects,
    ProxyAccountQuota quota, ProxyContainerPolicy policies, ProxyInfoCache info, ProxyObjectRead reads, ILogger<ObjectController> log)
{
    /// <summary>Serves one object request.</summary>
    public async Task HandleAsync(SwiftProxyRequest request)
    {
        // The container's storage policy picks the ring, and the object servers keep each policy's objects apart.
        var policy = await policies.IndexOfAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        var ring = rings.ObjectRing(policy);
        var (part, nodes) = ring.GetNodes(request.Account, request.Container, request.Object);
        string PathOf(Common.Ring.RingDevice n) => SwiftBackend.PathOf(n, part, request.Account, request.Container, request.Object);
        var context = request.Context;
        if (request.Copy is { } copy)
        {
            await PutAsync(request, policy, nodes, PathOf, copy).ConfigureAwait(false);
            return;
        }
        switch (request.Method)
        {
            case "GET" or "HEAD":
                var read = request.Read ?? await reads.SendAsync(request, policy).ConfigureAwait(false);
                if (await largeObjects.TryServeAsync(request, read).ConfigureAwait(false))
                {
                    return;
                }
                if (read is { IsSuccessStatusCode: true } && ProxySloHandler.IsManifest(read) && ProxySloHandler.Asks(request.Query, "get"))
                {
                    await slo.ServeManifestAsync(request, read).ConfigureAwait(false);
                    return;
                }
                if (read?.Headers.ETag is { } quoted)
                {
                    // Swift answers an object's ETag unquoted, which is what makes swiftclient check the MD5 of a download.
                    read.Headers.Remove("ETag");
                    read.Headers.TryAddWithoutValidation("ETag", quoted.Tag.Trim('"'));
                }
                await SwiftProxyReply.RelayAsync(context, read).ConfigureAwait(false);
                return;
            case "PUT":
                await PutAsync(request, policy, nodes, PathOf).ConfigureAwait(false);
                return;
            case "DELETE":
                var deleted = await DeleteAsync(request.Account, request.Container!, request.Object!, request.Aborted,
                    m => SwiftProxyHeaders.Copy(context.Request, m, "X-Object-Meta-", [.. SwiftProxyHeaders.ObjectWrite, "X-If-Delete-At"]),
                    SyncedTimestamp(request)).ConfigureAwait(false);
                await SwiftProxyReply.RelayAsync(context, deleted).ConfigureAwait(false);
                return;
            case "POST":
                var (postDeleteAt, postRefusal) = ProxyObjectExpiry.Check(context.Request.Headers, DateTimeOffset.UtcNow);
                if (postRefusal is not null)
                {
                    await ProxyObjectExpiry.RefuseAsync(context, postRefusal).ConfigureAwait(false);
                    return;
                }
                var timestamp = SwiftBackend.NewTimestamp();
                var answers = await backend.ToAllAsync(nodes, PathOf, request.Method, m =>
                {
                    m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                    ProxyContainerPolicy.Name(m, policy);
                    SwiftProxyHeaders.Copy(context.Request, m, "X-Object-Meta-", SwiftProxyHeaders.ObjectWrite.Where(h => h is not "X-Delete-After" and not "X-Delete-At"));
                    if (postDeleteAt is not null)
                    {
                        m.Headers.TryAddWithoutValidation("X-Delete-At", postDeleteAt);
                    }
                    if (context.Request.ContentType is { Length: > 0 } newType)
                    {
                        // A POST may change the object's Content-Type, as swift's (fast-post) object server takes it.
                        m.Content = new ByteArrayContent([]);
                        m.Content.Headers.TryAddWithoutValidation("Content-Type", newType);
                    }
                }, request.Aborted).ConfigureAwait(false);
                await SwiftProxyReply.RelayAsync(context, SwiftProxyHeaders.Quorum(answers)).ConfigureAwait(false);
                return;
            default:
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
                return;
        }
    }

    private async Task PutAsync(SwiftProxyRequest request, int policy, IReadOnlyList<Common.Ring.RingDevice> nodes, Func<Common.Ring.RingDevice, string> pathOf, ProxyCopySource? copy = null)
    {
        var context = request.Context;
        var clientRequest = context.Request;
        if (clientRequest.Headers.IfNoneMatch.Count > 0 && !clientRequest.Headers.IfNoneMatch.ToString().Split(',').Any(tag => tag.Trim() == "*"))
        {
            await SwiftProxyReply.PlainErrorAsync(context, StatusCodes.Status400BadRequest, "If-None-Match only supports *").ConfigureAwait(false);
            return;
        }
        var (deleteAt, expiryRefusal) = ProxyObjectExpiry.Check(clientRequest.Headers, DateTimeOffset.UtcNow);
        if (expiryRefusal is not null)
        {
            await ProxyObjectExpiry.RefuseAsync(context, expiryRefusal).ConfigureAwait(false);
            return;
        }
        if (copy is null && clientRequest.ContentLength is null && !clientRequest.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status411LengthRequired, "Missing Content-Length or Transfer-Encoding: chunked").ConfigureAwait(false);
            return;
        }
        if (copy is null && clientRequest.ContentLength > SwiftProxyServer.MaxFileSize)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status413RequestEntityTooLarge, "Your request is too large.").ConfigureAwait(false);
            return;
        }
        if (copy is null && clientRequest.ContentLength is { } announced && await quota.ExceededAsync(request, announced).ConfigureAwait(false))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status413RequestEntityTooLarge, ProxyAccountQuota.ExceededMessage).ConfigureAwait(false);
            return;
        }
        using (var container = await info.ContainerAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false))
        {
            if (container is not { IsSuccessStatusCode: true })
            {
                await SwiftProxyReply.ErrorAsync(context, container is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
                return;
            }
        }
        var contentType = copy is null ? ContentTypeOf(clientRequest, request.Object!)
            : string.IsNullOrEmpty(clientRequest.ContentType) ? copy.ContentType : clientRequest.ContentType;
        var timestamp = request.Timestamp ?? SyncedTimestamp(request) ?? SwiftBackend.NewTimestamp();
        var shares = updates.Spread(request.Account, request.Container!, nodes.Count);
        var overriddenEtag = request.BackendHeaders?.GetValueOrDefault("X-Backend-Container-Update-Override-Etag");
        var put = new ReplicaPut(request, policy, timestamp, shares, copy, deleteAt);
        if (copy is null && clientRequest.ContentLength is { } announcedLength && !ProxySloHandler.Asks(request.Query, "put"))
        {
            // A plain upload of known length, whatever its size: streamed to the replicas as it arrives, no spool.
            var expectedEtag = clientRequest.Headers.ETag.ToString().Trim('"');
            ProxyReplicaUpload.Result sent;
            try
            {
                sent = await ProxyReplicaUpload.SendAsync(backend, nodes, pathOf, announcedLength, (i, m) =>
                {
                    m.Content!.Headers.TryAddWithoutValidation("Content-Type", contentType);
                    // The object servers check the client's ETag before they commit (422 if it does not match), and
                    // answer the MD5 they took: the proxy does not hash the body itself.
                    put.Describe(m, i, expectedEtag.Length > 0 ? expectedEtag : null, null);
                }, clientRequest.Body, request.Aborted).ConfigureAwait(false);
            }
            catch (IOException e) when (!request.Aborted.IsCancellationRequested)
            {
                // Kestrel reports a chunk size that overflows as an IOException ("Bad chunk size data."), not as a bad request.
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message.TrimEnd('.')).ConfigureAwait(false);
                return;
            }
            if (sent.QuorumLost)
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable").ConfigureAwait(false);
                return;
            }
            // The replicas' own ETag is the row's and the reply's (a client ETag that did not match was their 422).
            await AnswerAsync(request, sent.Answers, shares, timestamp, (sent.Length, contentType, overriddenEtag), null, null).ConfigureAwait(false);
            return;
        }
        // A copy, a chunked upload or a large object's manifest: spooled, as its size, or its content, must be known
        // before any replica is written (quotas, the manifest's checks).
        var spool = Path.Combine(Path.GetTempPath(), "cloudd-swift-" + Guid.NewGuid().ToString("N"));
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[64 * 1024];
        var data = copy?.Data ?? clientRequest.Body;
        while (true)
        {
            int read;
            try
            {
                read = await data.ReadAsync(buffer, request.Aborted).ConfigureAwait(false);
            }
            catch (IOException e) when (copy is null && !request.Aborted.IsCancellationRequested)
            {
                // Kestrel reports a chunk size that overflows as an IOException ("Bad chunk size data."), not as a bad request.
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message.TrimEnd('.')).ConfigureAwait(false);
                return;
            }
            if (read == 0)
            {
                break;
            }
            md5.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), request.Aborted).ConfigureAwait(false);
        }
        await file.FlushAsync(request.Aborted).ConfigureAwait(false);
        var length = file.Length;
        if ((copy is not null || clientRequest.ContentLength is null) && await quota.ExceededAsync(request, length).ConfigureAwait(false))
        {
            // A copy's or a chunked upload's size is only known now.
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status413RequestEntityTooLarge, ProxyAccountQuota.ExceededMessage).ConfigureAwait(false);
            return;
        }
        var etag = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
        var expected = clientRequest.Headers.ETag.ToString().Trim('"');
        if (expected.Length > 0 && !string.Equals(expected, etag, StringComparison.OrdinalIgnoreCase))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "Unprocessable Entity").ConfigureAwait(false);
            return;
        }
        // What the replicas store: the upload itself, or for a large object the checked manifest.
        var (storedLength, storedEtag, rowSize, rowEtag, replyEtag) = (length, etag, length, etag, etag);
        byte[]? manifest = null;
        SloHeartbeat? heartbeat = null;
        if (ProxySloHandler.Asks(request.Query, "put") && (copy is null || copy.IsManifest))
        {
            file.Position = 0;
            heartbeat = SloHeartbeat.Asked(request) ? new SloHeartbeat(context) : null;
            var built = await slo.BuildAsync(request, file, heartbeat is null ? null : heartbeat.BeatAsync, request.Aborted).ConfigureAwait(false);
            if (built.Stored is null)
            {
                await RefuseManifestAsync(context, built, heartbeat).ConfigureAwait(false);
                return;
            }
            manifest = built.Stored;
            storedLength = manifest.Length;
            storedEtag = Convert.ToHexString(MD5.HashData(manifest)).ToLowerInvariant();
            (rowSize, rowEtag, replyEtag) = (built.Size, built.Etag, $"\"{built.Etag}\"");
        }
        rowEtag = overriddenEtag ?? rowEtag;
        var spooledAnswers = await Task.WhenAll(nodes.Select(async (node, i) =>
        {
            Stream body = manifest is not null
                ? new MemoryStream(manifest, writable: false)
                : new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
            using var content = new StreamContent(body);
            content.Headers.ContentLength = storedLength;
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return await backend.SendAsync(node, "PUT", pathOf(node), m =>
            {
                m.Content = content;
                put.Describe(m, i, storedEtag, manifest is null ? null : (rowSize, rowEtag));
            }, request.Aborted).ConfigureAwait(false);
        })).ConfigureAwait(false);
        await AnswerAsync(request, spooledAnswers, shares, timestamp, (rowSize, contentType, rowEtag), replyEtag, heartbeat).ConfigureAwait(false);
    }

    /// <summary>
    /// The client's answer to a PUT from its replicas' answers: 201 when a quorum stored it (after the container
    /// updates of the replicas that failed are covered), else the replicas' most common failure; a 500 when the
    /// replicas that stored it answered different ETags (swift's "mismatched etags"). A null row ETag or
    /// <paramref name="replyEtag"/> is the one the replicas answered.
    /// </summary>
    private async Task AnswerAsync(
        SwiftProxyRequest request, HttpResponseMessage?[] answers, IReadOnlyList<UpdateShare> shares, string timestamp,
        (long Size, string ContentType, string? Etag) row, string? replyEtag, SloHeartbeat? heartbeat)
    {
        var context = request.Context;
        if (!ReplicaEtags.TryAgree(answers, out var stored))
        {
            // As swift: the replicas hold different bodies under one name, which no quorum makes right.
            log.LogError("Object PUT {Path}: object servers returned mismatched etags", context.Request.Path.Value);
            DisposeAll(answers);
            await (heartbeat is not null
                ? heartbeat.FailedAsync(StatusCodes.Status500InternalServerError, [])
                : SwiftProxyReply.ErrorAsync(context, StatusCodes.Status500InternalServerError, "")).ConfigureAwait(false);
            return;
        }
        replyEtag ??= stored ?? "";
        var rowEtag = row.Etag ?? stored ?? "";
        using var answer = SwiftProxyHeaders.Quorum(answers);
        if (heartbeat is not null)
        {
            await (answer is { IsSuccessStatusCode: true }
                ? heartbeat.SucceededAsync(replyEtag, DateTimeOffset.UtcNow)
                : heartbeat.FailedAsync(answer is null ? StatusCodes.Status503ServiceUnavailable : (int)answer.StatusCode, [])).ConfigureAwait(false);
            if (answer is { IsSuccessStatusCode: true })
            {
                await updates.CoverFailedAsync(shares, answers, request.Account, request.Container!, request.Object!, timestamp, (row.Size, row.ContentType, rowEtag), request.Aborted).ConfigureAwait(false);
            }
            return;
        }
        if (answer is { StatusCode: System.Net.HttpStatusCode.Conflict } && SyncedTimestamp(request) is not null)
        {
            // The replicas hold this write or a newer one: swift's "Object PUT returning 202 for 409".
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status202Accepted, "").ConfigureAwait(false);
            return;
        }
        if (answer is not { IsSuccessStatusCode: true })
        {
            // swob's standard page for the replicas' status (swift's best_response).
            await SwiftProxyReply.ErrorAsync(context, answer is null ? StatusCodes.Status503ServiceUnavailable : (int)answer.StatusCode, "").ConfigureAwait(false);
            return;
        }
        await updates.CoverFailedAsync(shares, answers, request.Account, request.Container!, request.Object!, timestamp, (row.Size, row.ContentType, rowEtag), request.Aborted).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        // Unquoted, as swift sends it: swiftclient compares it with its own MD5 of the upload.
        response.Headers.ETag = replyEtag;
        // The stored timestamp rounded up, as the object's HEAD will say.
        response.Headers.LastModified = SwiftLastModified.HttpDate(timestamp);
        response.ContentType = "text/html; charset=UTF-8";
        response.ContentLength = 0;
    }

    private static void DisposeAll(HttpResponseMessage?[] answers)
    {
        foreach (var answer in answers)
        {
            answer?.Dispose();
        }
    }

    /// <summary>The headers every replica of one PUT is sent, besides its body's.</summary>
    private sealed record ReplicaPut(
        SwiftProxyRequest Request, int Policy, string Timestamp, IReadOnlyList<UpdateShare> Shares, ProxyCopySource? Copy, string? DeleteAt)
    {
        /// <summary>
        /// Names the write (timestamp, policy, the replica's share of the container updates, the client's metadata);
        /// <paramref name="etag"/> is what the object server checks the body against (none: it takes its own MD5);
        /// <paramref name="manifestRow"/> the listing row of a large object's manifest.
        /// </summary>
        public void Describe(HttpRequestMessage m, int replica, string? etag, (long Size, string Etag)? manifestRow)
        {
            m.Headers.TryAddWithoutValidation("X-Timestamp", Timestamp);
            ProxyContainerPolicy.Name(m, Policy);
            if (etag is not null)
            {
                m.Headers.TryAddWithoutValidation("ETag", etag);
            }
            Shares[replica].Apply(m);
            if (manifestRow is { } row)
            {
                // The listing shows the whole large object, not its manifest.
                m.Headers.TryAddWithoutValidation("X-Backend-Container-Update-Override-Size", row.Size.ToString(CultureInfo.InvariantCulture));
                m.Headers.TryAddWithoutValidation("X-Backend-Container-Update-Override-Etag", row.Etag);
            }
            foreach (var (name, value) in Copy?.Metadata ?? [])
            {
                m.Headers.TryAddWithoutValidation(name, value);
            }
            foreach (var (name, value) in Request.BackendHeaders ?? new Dictionary<string, string>())
            {
                m.Headers.TryAddWithoutValidation(name, value);
            }
            SwiftProxyHeaders.Copy(Request.Context.Request, m, "X-Object-Meta-", SwiftProxyHeaders.ObjectWrite.Where(h => h is not "X-Delete-After" and not ProxySloHandler.Marker));
            // A synced SLO manifest arrives from the other cluster already checked: it stays a manifest here.
            if (manifestRow is not null || (SyncedTimestamp(Request) is not null && Request.Context.Request.Headers.ContainsKey(ProxySloHandler.Marker)))
            {
                m.Headers.TryAddWithoutValidation(ProxySloHandler.Marker, "True");
            }
            if (DeleteAt is not null)
            {
                m.Headers.Remove("X-Delete-At");
                m.Headers.TryAddWithoutValidation("X-Delete-At", DeleteAt);
            }
        }
    }

    /// <summary>
    /// A manifest swift's slo refuses: 400 with the parse error, or with the bad segments in the report format the
    /// client accepts (after a heartbeat's spaces, in its body).
    /// </summary>
    private static async Task RefuseManifestAsync(HttpContext context, SloBuild built, SloHeartbeat? heartbeat)
    {
        if (built.ParseError is { } parseError)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, parseError).ConfigureAwait(false);
            return;
        }
        if (heartbeat is not null)
        {
            await heartbeat.FailedAsync(StatusCodes.Status400BadRequest, built.Problems).ConfigureAwait(false);
            return;
        }
        var contentType = SloReport.ContentTypeFor(context.Request);
        var body = SloReport.Format(contentType, new Dictionary<string, object>(), built.Problems, "upload");
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Deletes an object on its replicas; the quorum's answer (null: no replica answered).</summary>
    public async Task<HttpResponseMessage?> DeleteAsync(
        string account, string container, string obj, CancellationToken cancellationToken, Action<HttpRequestMessage>? setup = null, string? timestamp = null)
    {
        var policy = await policies.IndexOfAsync(account, container, cancellationToken).ConfigureAwait(false);
        var (part, nodes) = rings.ObjectRing(policy).GetNodes(account, container, obj);
        timestamp ??= SwiftBackend.NewTimestamp();
        var shares = updates.Spread(account, container, nodes.Count);
        var answers = await Task.WhenAll(nodes.Select((node, i) => backend.SendAsync(node, "DELETE", SwiftBackend.PathOf(node, part, account, container, obj), m =>
        {
            m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
            ProxyContainerPolicy.Name(m, policy);
            shares[i].Apply(m);
            setup?.Invoke(m);
        }, cancellationToken))).ConfigureAwait(false);
        var answer = SwiftProxyHeaders.Quorum(answers);
        if (answer is { IsSuccessStatusCode: true })
        {
            await updates.CoverFailedAsync(shares, answers, account, container, obj, timestamp, null, cancellationToken).ConfigureAwait(false);
        }
        return answer;
    }

    /// <summary>The sender's X-Timestamp of a write another cluster's container sync made (kept, so older writes lose); else null.</summary>
    private static string? SyncedTimestamp(SwiftProxyRequest request) =>
        Middleware.ContainerSync.ContainerSyncGrant.Of(request.Context) is { } grant && grant.Allows(request.Account, request.Container) ? grant.Timestamp : null;

    private static string ContentTypeOf(HttpRequest request, string name)
    {
        var given = request.ContentType;
        var detect = string.Equals(request.Headers["X-Detect-Content-Type"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(given) && !detect)
        {
            return given;
        }
        return SwiftContentTypes.Guess(name);
    }
}
