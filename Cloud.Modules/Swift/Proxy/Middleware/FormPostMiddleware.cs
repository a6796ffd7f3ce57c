using System.Globalization;
using System.Text;
using Cloud.Modules.Swift.Proxy.Middleware.FormPost;
using Cloud.Modules.Swift.Proxy.Middleware.TempUrl;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>formpost</c>, before auth: a browser's multipart/form-data POST to a container path uploads each file of
/// the form as an object, without a token, when the form's fields (redirect, max_file_size, max_file_count, expires)
/// are signed with the account's or container's temp URL key. Each file is one PUT through the rest of the pipeline;
/// the answer is the last PUT's status, or a 303 to the form's redirect with <c>status</c> and <c>message</c>.
/// </summary>
public sealed class FormPostMiddleware(TempUrlKeys keys) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "formpost";

    /// <summary>What swift 2.30 advertises in /info.</summary>
    public static readonly Dictionary<string, object> Capabilities = new()
    {
        ["allowed_digests"] = TempUrlSignature.AllowedDigests,
        ["deprecated_digests"] = TempUrlSignature.DeprecatedDigests,
    };

    // swift's MAX_VALUE_LENGTH: a field's value beyond this is read and dropped.
    private const int MaxValueLength = 4096;

    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        if (!HttpMethods.IsPost(context.Request.Method) || !MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) || HeaderUtilities.RemoveQuotes(type.Boundary).Length == 0)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        try
        {
            var (status, headers, body) = await TranslateAsync(request, HeaderUtilities.RemoveQuotes(type.Boundary).ToString(), next).ConfigureAwait(false);
            var response = context.Response;
            response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (FormPostError e) when (e.Unauthorized)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status401Unauthorized, "FormPost: " + Common.PythonStrings.Title(e.Message)).ConfigureAwait(false);
        }
        catch (FormPostError e)
        {
            await PlainAsync(context, "FormPost: " + e.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            await PlainAsync(context, "FormPost: invalid starting boundary").ConfigureAwait(false);
        }
        catch (IOException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await PlainAsync(context, "FormPost: invalid starting boundary").ConfigureAwait(false);
        }
    }

    private async Task<(int Status, List<KeyValuePair<string, string>> Headers, string Body)> TranslateAsync(SwiftProxyEntry request, string boundary, Func<SwiftProxyEntry, Task> next)
    {
        var context = request.Context;
        var found = await KeysAsync(request.Path, context.RequestAborted).ConfigureAwait(false);
        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        (int Code, IHeaderDictionary? Headers)? status = null;
        var message = "";
        var fileCount = 0;
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
            var filename = disposition?.FileName.HasValue == true ? HeaderUtilities.RemoveQuotes(disposition.FileName).ToString() : "";
            if (disposition is not null && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) && filename.Length > 0)
            {
                fileCount++;
                if (fileCount > IntOf(attributes, "max_file_count", "max_file_count not an integer"))
                {
                    status = (StatusCodes.Status400BadRequest, null);
                    message = "max file count exceeded";
                    break;
                }
                var file = new Dictionary<string, string>(attributes) { ["filename"] = filename };
                if (!attributes.ContainsKey("content-type") && section.ContentType is not null)
                {
                    file["content-type"] = section.ContentType.Length > 0 ? section.ContentType : "application/octet-stream";
                }
                if (!attributes.ContainsKey("content-encoding") && section.Headers?.TryGetValue("Content-Encoding", out var encoding) == true)
                {
                    file["content-encoding"] = encoding.ToString();
                }
                status = await PutAsync(request, file, section.Body, found, next).ConfigureAwait(false);
                if (status.Value.Code is < 200 or > 299)
                {
                    break;
                }
                continue;
            }
            var value = await ReadValueAsync(section.Body, context.RequestAborted).ConfigureAwait(false);
            if (disposition?.Name.HasValue == true)
            {
                attributes[HeaderUtilities.RemoveQuotes(disposition.Name).ToString().ToLowerInvariant()] = value.TrimEnd('\r', '\n', '-');
            }
        }
        if (status is null)
        {
            status = (StatusCodes.Status400BadRequest, null);
            message = "no files to process";
        }
        var (code, subHeaders) = status.Value;
        var headers = (subHeaders ?? new HeaderDictionary())
            .Where(h => h.Key.StartsWith("Access-Control", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())).ToList();
        var statusLine = $"{code} {ReasonPhrases.GetReasonPhrase(code)}";
        if (!attributes.TryGetValue("redirect", out var redirect) || redirect.Length == 0)
        {
            headers.Add(new("Content-Type", "text/plain"));
            return (code, headers, message.Length > 0 ? $"{statusLine}\r\nFormPost: {Common.PythonStrings.Title(message)}" : statusLine);
        }
        redirect += (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?")
            + $"status={code.ToString(CultureInfo.InvariantCulture)}&message={TempUrlDisposition.Quote(message, "/")}";
        headers.Add(new("Location", redirect));
        return (StatusCodes.Status303SeeOther, headers, $"<html><body><p><a href=\"{redirect}\">Click to continue...</a></p></body></html>");
    }

    /// <summary>Checks the signature over the fields read so far and PUTs one file; the PUT's status and headers.</summary>
    private static async Task<(int, IHeaderDictionary?)> PutAsync(
        SwiftProxyEntry request, Dictionary<string, string> attributes, Stream data, IReadOnlyList<TempUrlKey> found, Func<SwiftProxyEntry, Task> next)
    {
        if (found.Count == 0)
        {
            throw FormPostError.Denied("invalid signature");
        }
        var maxFileSize = IntOf(attributes, "max_file_size", "max_file_size not an integer");
        var headers = new List<KeyValuePair<string, string>>();
        if (attributes.TryGetValue("x_delete_at", out var deleteAt))
        {
            headers.Add(new("X-Delete-At", ParseInt(deleteAt, "x_delete_at not an integer: Unix timestamp required.").ToString(CultureInfo.InvariantCulture)));
        }
        if (attributes.TryGetValue("x_delete_after", out var deleteAfter))
        {
            headers.Add(new("X-Delete-After", ParseInt(deleteAfter, "x_delete_after not an integer: Number of seconds required.").ToString(CultureInfo.InvariantCulture)));
        }
        if (attributes.TryGetValue("content-type", out var contentType))
        {
            headers.Add(new("Content-Type", contentType.Length > 0 ? contentType : "application/octet-stream"));
        }
        if (attributes.TryGetValue("content-encoding", out var contentEncoding))
        {
            headers.Add(new("Content-Encoding", contentEncoding));
        }
        if (IntOf(attributes, "expires", "expired not an integer") < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            throw FormPostError.Denied("form expired");
        }
        var signed = string.Join('\n', Uri.UnescapeDataString(request.Path), attributes.GetValueOrDefault("redirect", ""),
            Or0(attributes, "max_file_size"), Or0(attributes, "max_file_count"), Or0(attributes, "expires"));
        if (TempUrlSignature.Parse(attributes.GetValueOrDefault("signature", "")) is not { } given
            || !TempUrlSignature.AllowedDigests.Contains(given.Digest)
            || !found.Any(k => TempUrlSignature.Same(given.Hex, TempUrlSignature.Hmac(given.Digest, k.Key, signed))))
        {
            throw FormPostError.Denied("invalid signature");
        }
        var path = request.Path;
        if (!path.EndsWith('/') && path.Count(c => c == '/') < 4)
        {
            path += "/";
        }
        path += TempUrlDisposition.Quote(attributes["filename"], "/");
        var capped = new CappedStream(data, maxFileSize);
        var sub = FormPostSubrequest.Put(request.Context, capped, headers);
        // Swift's sub-request is pre-authorised: the signature stands for the account's owner.
        new TempUrlGrant(AccountOf(request.Path), null).Apply(sub);
        await next(new SwiftProxyEntry(sub, path, "")).ConfigureAwait(false);
        if (capped.Exceeded)
        {
            throw FormPostError.Invalid("max_file_size exceeded");
        }
        return (sub.Response.StatusCode, sub.Response.Headers);
    }

    /// <summary>The temp URL keys of the path's account and container; none for a path that names no container.</summary>
    private async Task<IReadOnlyList<TempUrlKey>> KeysAsync(string path, CancellationToken cancellationToken)
    {
        var parts = path.Split('/', 5);
        if (parts.Length < 4 || parts[0].Length > 0 || parts[1] != "v1" || parts[2].Length == 0 || parts[3].Length == 0)
        {
            return [];
        }
        return await keys.ReadAsync(Uri.UnescapeDataString(parts[2]), Uri.UnescapeDataString(parts[3]), cancellationToken).ConfigureAwait(false);
    }

    private static string AccountOf(string path) => Uri.UnescapeDataString(path.Split('/', 4)[2]);

    private static string Or0(Dictionary<string, string> attributes, string name) =>
        attributes.GetValueOrDefault(name) is { Length: > 0 } value ? value : "0";

    private static long IntOf(Dictionary<string, string> attributes, string name, string error) =>
        attributes.GetValueOrDefault(name) is { Length: > 0 } value ? ParseInt(value, error) : 0;

    // Python's int(): surrounding spaces and a sign are allowed.
    private static long ParseInt(string value, string error) =>
        long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw FormPostError.Invalid(error);

    private static async Task<string> ReadValueAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxValueLength];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        await body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static async Task PlainAsync(HttpContext context, string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "text/plain";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
