using Cloud.Modules.Swift.Proxy.Controllers;
using Cloud.Modules.Swift.Proxy.Middleware;

namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>
/// The proxy's pipeline, declared here in order as swift's <c>proxy-server.conf</c> declares
/// <c>pipeline = catch_errors healthcheck ... tempauth ... slo dlo copy proxy-server</c>. Every request passes the
/// entry middlewares; one whose path names an account (<see cref="SwiftProxyPath"/>) then passes the request
/// middlewares and reaches the account, container or object controller.
/// </summary>
public sealed class SwiftProxyPipeline(
    CatchErrorsMiddleware catchErrors, HealthcheckMiddleware healthcheck, InfoMiddleware info, TempUrlMiddleware tempUrl, FormPostMiddleware formPost, TempAuthMiddleware tempAuth,
    AccountAuthMiddleware accountAuth, ContainerAclMiddleware containerAcl, NameLimitsMiddleware nameLimits, LargeObjectMiddleware largeObjects,
    CopyMiddleware copy, SymlinkMiddleware symlink, AccountController accounts, ContainerController containers, ObjectController objects)
{
    private readonly ISwiftProxyMiddleware<SwiftProxyEntry>[] _entry = [catchErrors, healthcheck, info, tempUrl, formPost, tempAuth];

    private readonly ISwiftProxyMiddleware<SwiftProxyRequest>[] _request = [accountAuth, containerAcl, nameLimits, largeObjects, copy, symlink];

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

    private Task ControllerAsync(SwiftProxyRequest request) =>
        request.Object is not null ? objects.HandleAsync(request)
        : request.Container is not null ? containers.HandleAsync(request)
        : accounts.HandleAsync(request);
}
