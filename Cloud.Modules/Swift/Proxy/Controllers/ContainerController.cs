using System.Globalization;
using System.Text;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Controllers;

/// <summary>
/// <c>/v1/{account}/{container}</c>: writes (PUT, POST, DELETE) go to every container replica with one timestamp and
/// succeed on a majority; reads come from the first replica that has the container. The storage servers do not tell
/// the account about containers themselves, so after each change the proxy sends the container's row to the account
/// replicas (best effort: the listing may lag, the data does not).
/// </summary>
public sealed class ContainerController(SwiftRings rings, SwiftBackend backend, AccountController accounts, ProxyContainerPolicy policies)
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
                // The listing streams through as the server sends it (it says its length), not read whole first.
                var read = await backend.FirstAsync(ring, part, n => PathOf(n) + request.Query, request.Method,
                    m => SwiftProxyHeaders.Copy(context.Request, m, null, SwiftProxyHeaders.Listing), request.Aborted,
                    HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                // The put timestamp is the servers' business (the account rows); swift's proxy does not show it.
                read?.Headers.Remove("X-Put-Timestamp");
                ShowPolicy(read);
                await SwiftProxyReply.RelayReadAsync(context, read).ConfigureAwait(false);
                return;
            case "PUT" or "POST" or "DELETE":
                SwiftStoragePolicy? policy = null;
                var askedPolicy = context.Request.Headers["X-Storage-Policy"].ToString().Trim();
                if (request.Method == "PUT" && askedPolicy.Length > 0 && (policy = rings.Policies.Named(askedPolicy)) is null)
                {
                    await RefusePolicyAsync(context, askedPolicy).ConfigureAwait(false);
                    return;
                }
                var timestamp = SwiftBackend.NewTimestamp();
                var answers = await backend.ToAllAsync(nodes, PathOf, request.Method, m =>
                {
                    m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                    if (request.Method == "PUT")
                    {
                        // The servers keep a new container's policy; an existing one in another policy answers 409.
                        m.Headers.TryAddWithoutValidation(SwiftStoragePolicies.DefaultHeader, Index(rings.Policies.Default.Index));
                        if (policy is not null)
                        {
                            m.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, Index(policy.Index));
                        }
                    }
                    SwiftProxyHeaders.Copy(context.Request, m, "X-Container-Meta-", SwiftProxyHeaders.ContainerWrite);
                }, request.Aborted).ConfigureAwait(false);
                var answer = SwiftProxyHeaders.Quorum(answers);
                policies.Forget(request.Account, request.Container!);
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
        var (put, objects, bytes, policy) = (ZeroTimestamp, "0", "0", "0");
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
            policy = Header(head, SwiftStoragePolicies.IndexHeader, "0");
        }
        var (accountPart, accountNodes) = rings.Account.GetNodes(account);
        var answers = await backend.ToAllAsync(accountNodes, n => SwiftBackend.PathOf(n, accountPart, account, container), "PUT", m =>
        {
            m.Headers.TryAddWithoutValidation("X-Put-Timestamp", put);
            m.Headers.TryAddWithoutValidation("X-Delete-Timestamp", deletedAt ?? ZeroTimestamp);
            m.Headers.TryAddWithoutValidation("X-Object-Count", objects);
            m.Headers.TryAddWithoutValidation("X-Bytes-Used", bytes);
            m.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, policy);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            answer?.Dispose();
        }
    }

    /// <summary>The container's policy by name (X-Storage-Policy) instead of the servers' index.</summary>
    private void ShowPolicy(HttpResponseMessage? read)
    {
        if (read is null || !read.Headers.TryGetValues(SwiftStoragePolicies.IndexHeader, out var values))
        {
            return;
        }
        read.Headers.Remove(SwiftStoragePolicies.IndexHeader);
        if (int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && rings.Policies.ByIndex(index) is { } policy)
        {
            read.Headers.TryAddWithoutValidation("X-Storage-Policy", policy.Name);
        }
    }

    // swift answers an unknown policy name in text/plain, not in its html error page.
    private static Task RefusePolicyAsync(HttpContext context, string name) =>
        SwiftProxyReply.PlainErrorAsync(context, StatusCodes.Status400BadRequest, $"Invalid X-Storage-Policy '{name}'");

    private static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);

    private static string Header(HttpResponseMessage response, string name, string fallback) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() ?? fallback : fallback;
}
