using System.Text.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Middleware.StaticWeb;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>/info</c> (GET or HEAD, without authentication; OPTIONS says what it allows): the cluster's limits and the
/// capabilities of exactly the filters that are on (<see cref="SwiftProxyFilters"/>), under the names Swift 2.30 gives them.
/// </summary>
public sealed class InfoMiddleware(
    SwiftProxyFilters filters, SwiftRings rings, IOptions<SwiftProxyFlags> proxyFlags, IOptions<SwiftWebFlags> webFlags,
    DomainRemapMiddleware domainRemap, RatelimitMiddleware ratelimit, ContainerSyncMiddleware containerSync) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Path is "/info" && request.Method is "OPTIONS")
        {
            // swift's info controller's OPTIONS: what it allows, without a token.
            request.Context.Response.Headers.Allow = "GET, HEAD, OPTIONS";
            request.Context.Response.ContentLength = 0;
            request.Context.Response.ContentType = SwiftErrorPage.ContentType;
            return Task.CompletedTask;
        }
        return request.Path is "/info" && request.Method is "GET" or "HEAD" ? InfoAsync(request.Context) : next(request);
    }

    // As swift lists them: name, aliases (the name and aliases joined by ", "), and default only on the default one.
    private static List<Dictionary<string, object>> StoragePolicies(SwiftStoragePolicies policies) =>
        policies.All.Select(p =>
        {
            var entry = new Dictionary<string, object> { ["name"] = p.Name, ["aliases"] = string.Join(", ", p.Aliases.Prepend(p.Name)) };
            if (p.IsDefault)
            {
                entry["default"] = true;
            }
            return entry;
        }).ToList();

    private async Task InfoAsync(HttpContext context)
    {
        var info = new Dictionary<string, object>
        {
            ["swift"] = new Dictionary<string, object>
            {
                ["version"] = "2.30.0",
                ["max_file_size"] = SwiftProxyServer.MaxFileSize,
                ["max_meta_name_length"] = 128,
                ["max_meta_value_length"] = 256,
                ["max_meta_count"] = 90,
                ["max_meta_overall_size"] = 4096,
                ["max_header_size"] = SwiftKestrel.MaxHeaderSize,
                ["max_object_name_length"] = NameLimitsMiddleware.MaxObjectNameBytes,
                ["max_container_name_length"] = NameLimitsMiddleware.MaxContainerNameBytes,
                ["max_account_name_length"] = 256,
                ["max_header_size"] = Common.SwiftKestrel.MaxHeaderSize,
                ["extra_header_count"] = 0,
                ["allow_account_management"] = true,
                ["account_autocreate"] = true,
                ["container_listing_limit"] = 10000,
                ["account_listing_limit"] = 10000,
                ["strict_cors_mode"] = webFlags.Value.SwiftStrictCorsMode,
                ["account_autocreate"] = true,
                // A reseller admin cannot PUT or DELETE an account here: accounts come into being with their first container.
                ["allow_account_management"] = false,
                ["extra_header_count"] = 0,
                ["policies"] = StoragePolicies(rings.Policies),
            },
        };
        Advertise(info, "tempauth", "tempauth", TempAuth.Capabilities);
        Advertise(info, "container_sync", ContainerSyncMiddleware.FilterName, containerSync.Capabilities);
        Advertise(info, "bulk", BulkMiddleware.UploadInfoName, BulkMiddleware.UploadCapabilities);
        Advertise(info, "bulk", BulkMiddleware.DeleteInfoName, BulkMiddleware.DeleteCapabilities);
        Advertise(info, "tempurl", TempUrlMiddleware.FilterName, TempUrlMiddleware.Capabilities);
        Advertise(info, "ratelimit", RatelimitMiddleware.FilterName, ratelimit.Capabilities);
        Advertise(info, "domain_remap", DomainRemapMiddleware.FilterName, domainRemap.Capabilities);
        Advertise(info, "formpost", FormPostMiddleware.FilterName, FormPostMiddleware.Capabilities);
        Advertise(info, "staticweb", StaticWebMiddleware.FilterName, new Dictionary<string, object>());
        Advertise(info, "container-quotas", ContainerQuotasMiddleware.FilterName, new Dictionary<string, object>());
        Advertise(info, "account-quotas", ProxyAccountQuota.FilterName, new Dictionary<string, object>());
        Advertise(info, "slo", SloMiddleware.FilterName, SloMiddleware.Capabilities);
        if (proxyFlags.Value.SwiftAllowVersionedWrites)
        {
            Advertise(info, "versioned_writes", VersionedWritesMiddleware.FilterName, VersionedWritesMiddleware.Capabilities);
        }
        if (proxyFlags.Value.SwiftAllowObjectVersioning)
        {
            Advertise(info, "versioned_writes", ObjectVersioningMiddleware.FilterName, ObjectVersioningMiddleware.Capabilities);
        }
        Advertise(info, "symlink", SymlinkMiddleware.FilterName, SymlinkMiddleware.Capabilities);
        var body = JsonSerializer.SerializeToUtf8Bytes(info);
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the /info section <paramref name="name"/> when the pipeline filter <paramref name="filter"/> is on.</summary>
    private void Advertise(Dictionary<string, object> info, string filter, string name, object capabilities)
    {
        if (filters.IsOn(filter))
        {
            info[name] = capabilities;
        }
    }
}
