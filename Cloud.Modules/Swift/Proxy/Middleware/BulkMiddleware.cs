using Cloud.Modules.Swift.Proxy.Middleware.Bulk;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>bulk</c>, before auth: <c>PUT ?extract-archive=tar|tar.gz|tar.bz2</c> (<see cref="BulkExtract"/>) and
/// <c>POST|DELETE ?bulk-delete</c> (<see cref="BulkDelete"/>). Each operation's sub-requests run through the rest of the
/// pipeline with the client's token, so they are authorised as the client's own. The answer is a 200 whose body (JSON,
/// XML or plain, by Accept) holds the operation's real status, its counts and its failures.
/// </summary>
public sealed partial class BulkMiddleware(ILogger<BulkMiddleware> log) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    /// <summary>The filter's name in swift's pipeline; /info has its two halves, <see cref="UploadInfoName"/> and <see cref="DeleteInfoName"/>.</summary>
    public const string FilterName = "bulk";

    public const string UploadInfoName = "bulk_upload";

    public const string DeleteInfoName = "bulk_delete";

    /// <summary>/info's bulk_upload.</summary>
    public static IReadOnlyDictionary<string, object> UploadCapabilities { get; } = new Dictionary<string, object>
    {
        ["max_containers_per_extraction"] = BulkLimits.MaxContainersPerExtraction,
        ["max_failed_extractions"] = BulkLimits.MaxFailedExtractions,
    };

    /// <summary>/info's bulk_delete.</summary>
    public static IReadOnlyDictionary<string, object> DeleteCapabilities { get; } = new Dictionary<string, object>
    {
        ["max_deletes_per_request"] = BulkLimits.MaxDeletesPerRequest,
        ["max_failed_deletes"] = BulkLimits.MaxFailedDeletes,
    };

    private static readonly Dictionary<string, string> Compressions = new(StringComparer.Ordinal)
    {
        ["tar"] = "",
        ["tar.gz"] = "gz",
        ["tar.bz2"] = "bz2",
    };

    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var query = QueryHelpers.ParseQuery(request.Query);
        var context = request.Context;
        var format = BulkResultBody.Negotiate(context.Request.Headers.Accept.ToString());
        if (request.Method == "PUT" && query.TryGetValue("extract-archive", out var archive))
        {
            if (!Compressions.TryGetValue(archive.ToString().ToLowerInvariant().Trim('.'), out var compression))
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, "Unsupported archive format").ConfigureAwait(false);
                return;
            }
            var (results, errors) = await BulkExtract.RunAsync(context, next, request.Path, compression, format, LogFailed).ConfigureAwait(false);
            await AnswerAsync(context, format, BulkResultBody.Render(format, results, errors, "extract")).ConfigureAwait(false);
            return;
        }
        if (request.Method is "POST" or "DELETE" && query.ContainsKey("bulk-delete"))
        {
            var (results, errors) = await BulkDelete.RunAsync(context, next, request.Path, format, LogFailed).ConfigureAwait(false);
            await AnswerAsync(context, format, BulkResultBody.Render(format, results, errors, "delete")).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }

    private static async Task AnswerAsync(HttpContext context, string? format, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        // Without an acceptable format swift leaves swob's default type on the 200.
        response.ContentType = format ?? Common.SwiftErrorPage.ContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk operation failed")]
    private partial void LogFailed(Exception error);
}
