using Cloud.Modules.Swift.Proxy.Controllers;
using Cloud.Modules.Swift.Proxy.Middleware;

namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>
/// The proxy's pipeline, declared here in order as swift's <c>proxy-server.conf</c> declares
/// <c>pipeline = catch_errors healthcheck ... tempauth ... slo dlo copy proxy-server</c>. Every request passes the
/// entry middlewares; one whose path names an account (<see cref="SwiftProxyPath"/>) then passes the request
/// middlewares and reaches the account, container or object controller. A filter <c>--swift_proxy_pipeline</c> turns
/// off (<see cref="SwiftProxyFilters"/>) is left out; the steps named <see cref="Always"/> are the proxy server's own.
/// </summary>
public sealed class SwiftProxyPipeline(
    SwiftProxyFilters filters,
    CatchErrorsMiddleware catchErrors, HealthcheckMiddleware healthcheck, InfoMiddleware info, TempAuthMiddleware tempAuth,
    AccountAuthMiddleware accountAuth, ContainerAclMiddleware containerAcl, NameLimitsMiddleware nameLimits, LargeObjectMiddleware largeObjects,
    CopyMiddleware copy, AccountController accounts, ContainerController containers, ObjectController objects)
{
    private const string Always = "proxy-server";

    private readonly ISwiftProxyMiddleware<SwiftProxyEntry>[] _entry = On(filters,
        ("catch_errors", catchErrors), ("healthcheck", healthcheck), (Always, info), ("tempauth", tempAuth));

    private readonly ISwiftProxyMiddleware<SwiftProxyRequest>[] _request = On(filters,
        (Always, accountAuth), (Always, containerAcl), (Always, nameLimits), ("slo", largeObjects), ("copy", copy));

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
