using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Controllers;

/// <summary>
/// <c>/v1/{account}/{container}</c>: writes (PUT, POST, DELETE) go to every container replica with one timestamp and
/// succeed on a majority; reads come from the first replica that has the container. The storage servers do not tell
/// the account about containers themselves, so after each change the proxy sends the container's row to the account
/// replicas (best effort: the listing may lag, the data does not).
/// </summary>
public sealed class ContainerController(SwiftRings rings, SwiftBackend backend, AccountController accounts)
{
    private const string ZeroTimestamp = "0000000000.00000";

    /// <summary>Serves one container request.</summary>
    public async Task HandleAsync(SwiftProxyRequest request)
    {
        await accounts.EnsureAsync(request.Account, request.Aborted).ConfigureAwait(false);
        var ring = rings.Container;
        var (part, nodes) = ring.GetNodes(request.Account, request.Container);
        string PathOf(Common.Ring.RingDevice n) => SwiftBackend.PathOf(n, part, request.Account, request.Container);
        var context = request.Context;
        switch (request.Method)
        {
            case "GET" or "HEAD":
                var read = await backend.FirstAsync(ring, part, n => PathOf(n) + request.Query, request.Method, null, request.Aborted).ConfigureAwait(false);
                await SwiftProxyReply.RelayReadAsync(context, read).ConfigureAwait(false);
                return;
            case "PUT" or "POST" or "DELETE":
                var timestamp = SwiftBackend.NewTimestamp();
                var answers = await backend.ToAllAsync(nodes, PathOf, request.Method, m =>
                {
                    m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                    SwiftProxyHeaders.Copy(context.Request, m, "X-Container-Meta-", SwiftProxyHeaders.ContainerWrite);
                }, request.Aborted).ConfigureAwait(false);
                var answer = SwiftProxyHeaders.Quorum(answers);
                if (answer is { IsSuccessStatusCode: true } && request.Method != "POST")
                {
                    await UpdateAccountAsync(request.Account, request.Container!, request.Method == "DELETE" ? timestamp : null, request.Aborted).ConfigureAwait(false);
                }
                await SwiftProxyReply.RelayAsync(context, answer).ConfigureAwait(false);
                return;
            default:
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Sends the container's row (put timestamp and current counts, read back from a container replica) to the account
    /// replicas; with <paramref name="deletedAt"/>, marks the row deleted instead. Failures are ignored: swift's
    /// container updater would repair them later.
    /// </summary>
    public async Task UpdateAccountAsync(string account, string container, string? deletedAt, CancellationToken cancellationToken)
    {
        var (put, objects, bytes) = (ZeroTimestamp, "0", "0");
        if (deletedAt is null)
        {
            var ring = rings.Container;
            var part = ring.GetPartition(account, container);
            using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, cancellationToken).ConfigureAwait(false);
            if (head is not { IsSuccessStatusCode: true })
            {
                return;
            }
            put = Header(head, "X-Put-Timestamp", ZeroTimestamp);
            objects = Header(head, "X-Container-Object-Count", "0");
            bytes = Header(head, "X-Container-Bytes-Used", "0");
        }
        var (accountPart, accountNodes) = rings.Account.GetNodes(account);
        var answers = await backend.ToAllAsync(accountNodes, n => SwiftBackend.PathOf(n, accountPart, account, container), "PUT", m =>
        {
            m.Headers.TryAddWithoutValidation("X-Put-Timestamp", put);
            m.Headers.TryAddWithoutValidation("X-Delete-Timestamp", deletedAt ?? ZeroTimestamp);
            m.Headers.TryAddWithoutValidation("X-Object-Count", objects);
            m.Headers.TryAddWithoutValidation("X-Bytes-Used", bytes);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            answer?.Dispose();
        }
    }

    private static string Header(HttpResponseMessage response, string name, string fallback) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() ?? fallback : fallback;
}
