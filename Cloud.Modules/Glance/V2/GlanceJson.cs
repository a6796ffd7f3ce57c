using System.Text.Json;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Modules.Glance.V2;

/// <summary>Reads the image API's JSON bodies and writes its answers and errors.</summary>
public static class GlanceJson
{
    /// <summary>Largest JSON body (metadata only; image data has its own limit).</summary>
    public const long MaxJsonBytes = 256 * 1024;

    private const string Malformed = "Malformed JSON in request body";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null, DictionaryKeyPolicy = null };

    /// <summary>The JSON body, when its Content-Type is one of <paramref name="contentTypes"/>; else 415, bad JSON 400 (glance's words for both).</summary>
    public static async Task<JsonElement> ReadAsync(HttpContext context, params string[] contentTypes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        if (!contentTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"The request media type {type} is not supported by this server.", StatusCodes.Status415UnsupportedMediaType);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxJsonBytes;
        }
        // Glance says only "Malformed JSON in request body."; cloudd adds what the parser found wrong (regression Bug0012_15).
        return await JsonBody.ParseAsync(context.Request.Body, Malformed, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteAsync(HttpContext context, int status, object body)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, Options, context.RequestAborted);
    }

    /// <summary>Errors as <c>{"error": {"code", "title", "message"}}</c>: glanceclient and openstacksdk both print the message.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, new { error = new { code = status, title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), message } });

    /// <summary>Glance's timestamp format: UTC, to the second.</summary>
    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
