using System.Text.Json;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>swift's <c>/info</c> (GET or HEAD, without authentication): the cluster's limits and the middlewares' capabilities.</summary>
public sealed class InfoMiddleware : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        return request.Path is "/info" && request.Method is "GET" or "HEAD" ? InfoAsync(request.Context) : next(request);
    }

    private static async Task InfoAsync(HttpContext context)
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
                ["max_object_name_length"] = NameLimitsMiddleware.MaxObjectNameBytes,
                ["max_container_name_length"] = NameLimitsMiddleware.MaxContainerNameBytes,
                ["max_account_name_length"] = 256,
                ["container_listing_limit"] = 10000,
                ["account_listing_limit"] = 10000,
                ["strict_cors_mode"] = true,
                ["policies"] = new[] { new Dictionary<string, object> { ["name"] = "Policy-0", ["default"] = true } },
            },
            ["tempauth"] = TempAuth.Capabilities,
            [TempUrlMiddleware.FilterName] = TempUrlMiddleware.Capabilities,
            [SymlinkMiddleware.FilterName] = SymlinkMiddleware.Capabilities,
            [FormPostMiddleware.FilterName] = FormPostMiddleware.Capabilities,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(info);
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
