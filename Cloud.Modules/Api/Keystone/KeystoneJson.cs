using System.Text.Json;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Reads Keystone request bodies and writes its responses and errors.</summary>
public static class KeystoneJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    /// <summary>The JSON body, or a 400 naming what is wrong (content type, syntax).</summary>
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw CloudException.Invalid($"Expected Content-Type application/json, got '{request.ContentType}'.");
        }
        // Keystone says only "Expecting to find valid JSON in request body."; cloudd says what the parser found wrong (where,
        // which bytes are not UTF-8), which regression Bug0012_15 holds every API to.
        return await JsonBody.ParseAsync(request.Body, "Malformed JSON in request body", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What Keystone's ValidationError adds to every 400 it raises.</summary>
    public const string ClientError = " The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.";

    public static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, Options, context.RequestAborted);
    }

    /// <summary>Keystone's error shape: <c>{"error": {"code", "title", "message"}}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Keystone uri=\"" + $"{context.Request.Scheme}://{context.Request.Host}/v3" + "\"";
        }
        return WriteAsync(context, status, new { error = new { code = status, title = ReasonPhrases(status), message } });
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    /// <summary>A string property, or null; a present non-string is a 400.</summary>
    public static string? String(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Null => null,
            _ => throw CloudException.Invalid($"'{string.Join('.', path)}' must be a string."),
        };
    }

    public static JsonElement? Object(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current;
    }
}
