using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>One <c>/v1/{account}[/{container}[/{object}]]</c> request, its names percent-decoded; authorised once past the pipeline's auth middlewares.</summary>
/// <param name="Context">The client's request.</param>
/// <param name="Account">AUTH_&lt;account&gt;.</param>
/// <param name="Container">Container name, or null for the account.</param>
/// <param name="Object">Object name (may hold slashes), or null for the container.</param>
/// <param name="Query">The raw query string with its leading '?', or empty; passed to the storage servers as is.</param>
/// <param name="OwnsAccount">The caller reaches the whole account (its owner or a reseller admin), not just through a container ACL.</param>
public sealed record SwiftProxyRequest(HttpContext Context, string Account, string? Container, string? Object, string Query, bool OwnsAccount = true)
{
    /// <summary>The client's method, upper case.</summary>
    public string Method => Context.Request.Method.ToUpperInvariant();

    /// <summary>The client went away.</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>Why the caller may not use the account (401 or 403), when it comes only through a container ACL; null for the account's owners.</summary>
    public (int Status, string Message)? AccountRefusal { get; init; }

    /// <summary>The path as the client sent it (as domain_remap left it), still percent-encoded: staticweb needs its trailing slash.</summary>
    public string RawPath { get; init; } = "";

    /// <summary>For a server-side copy, the source the destination (this request's object) is written from; else null.</summary>
    public ProxyCopySource? Copy { get; init; }

    /// <summary>The X-Timestamp a PUT stores the object with, when a middleware chose it (object versioning's version id); else a new one.</summary>
    public string? Timestamp { get; init; }

    /// <summary>Headers a middleware adds to the object servers' PUT (system metadata, listing row overrides); else null.</summary>
    public IReadOnlyDictionary<string, string>? BackendHeaders { get; init; }

    /// <summary>
    /// For a GET or HEAD of this very object, its read as the controller would send it (<see cref="ProxyObjectRead"/>),
    /// already sent by a middleware that had to look at the object first (symlink); else null and the controller reads.
    /// </summary>
    public HttpResponseMessage? Read { get; init; }
}
