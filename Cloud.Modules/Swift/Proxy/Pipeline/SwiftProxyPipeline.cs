using Cloud.Modules.Swift.Proxy.Controllers;
using Cloud.Modules.Swift.Proxy.Middleware;
using Cloud.Modules.Swift.Proxy.Middleware.StaticWeb;

namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>
/// The proxy's pipeline, declared here in order as swift's <c>proxy-server.conf</c> declares
/// <c>pipeline = catch_errors gatekeeper healthcheck ... tempauth ... slo dlo versioned_writes symlink proxy-server</c>.
/// Every request passes the entry middlewares; one whose path names an account (<see cref="SwiftProxyPath"/>) then
/// passes the request middlewares and reaches the account, container or object controller. A filter
/// <c>--swift_proxy_pipeline</c> turns off (<see cref="SwiftProxyFilters"/>) is left out; the steps named
/// <see cref="Always"/> are the proxy server's own (CORS among them: it is swift's proxy server's, not a filter).
/// </summary>
public sealed class SwiftProxyPipeline(
    SwiftProxyFilters filters,
    CatchErrorsMiddleware catchErrors, GatekeeperMiddleware gatekeeper, HealthcheckMiddleware healthcheck, ContainerSyncMiddleware containerSync,
    BulkMiddleware bulk, InfoMiddleware info, TempUrlMiddleware tempUrl, DomainRemapMiddleware domainRemap, FormPostMiddleware formPost,
    TempAuthMiddleware tempAuth,
    RatelimitMiddleware ratelimit, CorsMiddleware cors, AccountAuthMiddleware accountAuth, ContainerAclMiddleware containerAcl,
    StaticWebMiddleware staticWeb, NameLimitsMiddleware nameLimits, MetadataLimitsMiddleware metadataLimits, SloMiddleware slo,
    CopyMiddleware copy, ContainerQuotasMiddleware containerQuotas, VersionedWritesMiddleware versionedWrites,
    ObjectVersioningMiddleware objectVersioning, SymlinkMiddleware symlink,
    AccountController accounts, ContainerController containers, ObjectController objects)
{
    private const string Always = "proxy-server";

    private readonly ISwiftProxyMiddleware<SwiftProxyEntry>[] _entry = On(filters,
        ("catch_errors", catchErrors), ("gatekeeper", gatekeeper), ("healthcheck", healthcheck), ("container_sync", containerSync),
        ("bulk", bulk), (Always, info), ("tempurl", tempUrl), ("domain_remap", domainRemap), ("formpost", formPost), ("tempauth", tempAuth));

    // ratelimit needs the account and container, so it runs first once the path names them, still before auth as in swift.
    private readonly ISwiftProxyMiddleware<SwiftProxyRequest>[] _request = On(filters,
        ("ratelimit", ratelimit), (Always, cors), (Always, accountAuth), (Always, containerAcl), ("staticweb", staticWeb),
        (Always, nameLimits), (Always, metadataLimits), ("slo", slo), ("copy", copy), ("container-quotas", containerQuotas),
        ("versioned_writes", versionedWrites), ("versioned_writes", objectVersioning), ("symlink", symlink));

    /// <summary>Runs one request through the whole pipeline.</summary>
    public Task RunAsync(SwiftProxyEntry entry) => EntryAsync(0, entry);

    private Task EntryAsync(int index, SwiftProxyEntry entry) =>
        index < _entry.Length ? _entry[index].InvokeAsync(entry, next => EntryAsync(index + 1, next)) : RouteAsync(entry);

    private Task RouteAsync(SwiftProxyEntry entry) =>
        SwiftProxyPath.Parse(entry) switch
        {
            ({ } request, _) => RequestAsync(0, request),
            (_, var refusal) => SwiftProxyReply.ErrorAsync(entry.Context, refusal!.Value.Status, refusal.Value.Message),
        };

    private Task RequestAsync(int index, SwiftProxyRequest request) =>
        index < _request.Length ? _request[index].InvokeAsync(request, next => RequestAsync(index + 1, next)) : ControllerAsync(request);

    /// <summary>The steps whose filter is on, in the order given (Swift's).</summary>
    private static ISwiftProxyMiddleware<T>[] On<T>(SwiftProxyFilters filters, params (string Filter, ISwiftProxyMiddleware<T> Step)[] steps) =>
        [.. steps.Where(s => s.Filter == Always || filters.IsOn(s.Filter)).Select(s => s.Step)];

    private Task ControllerAsync(SwiftProxyRequest request) =>
        request.Object is not null ? objects.HandleAsync(request)
        : request.Container is not null ? containers.HandleAsync(request)
        : accounts.HandleAsync(request);
}
