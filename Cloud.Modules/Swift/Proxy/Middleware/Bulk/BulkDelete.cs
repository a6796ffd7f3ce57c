using System.Text;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// <c>POST|DELETE ?bulk-delete</c> (swift's <c>handle_delete_iter</c>): the body lists URL-encoded <c>container/object</c>
/// or <c>container</c> names, one a line; objects are deleted first, then containers, each as a DELETE sub-request as
/// the client. A container that still holds objects fails with 409 Conflict in the errors.
/// </summary>
public static class BulkDelete
{
    /// <summary>Runs the deletes; the result's pairs in swift's order and the failed names.</summary>
    public static async Task<(List<(string Key, object Value)> Results, List<(string Name, string Status)> Errors)> RunAsync(
        HttpContext client, Func<SwiftProxyEntry, Task> next, string path, string? format, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(failed);
        var tally = new Tally();
        var errors = new List<(string Name, string Status)>();
        var (status, body) = ("200 OK", "");
        try
        {
            await DeleteAllAsync(client, next, path, format, tally, errors).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                status = tally.ServerFailed ? "502 Bad Gateway" : "400 Bad Request";
            }
            else if (tally.Deleted == 0 && tally.NotFound == 0)
            {
                (status, body) = ("400 Bad Request", "Invalid bulk delete.");
            }
        }
        catch (BulkRefusal refusal)
        {
            (status, body) = (BulkSubrequest.StatusLine(refusal.Status), refusal.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As swift's bulk: the operation's own failure goes into the answer's body, the details to the log.
            failed(e);
            status = "500 Internal Error";
        }
        return ([("Response Status", status), ("Response Body", body), ("Number Deleted", tally.Deleted), ("Number Not Found", tally.NotFound)], errors);
    }

    private static async Task DeleteAllAsync(
        HttpContext client, Func<SwiftProxyEntry, Task> next, string path, string? format, Tally tally, List<(string Name, string Status)> errors)
    {
        if (format is null)
        {
            throw new BulkRefusal(StatusCodes.Status406NotAcceptable);
        }
        var (version, account, _) = BulkExtract.Split(path);
        var incoming = client.Request.ContentType;
        if (!string.IsNullOrEmpty(incoming) && !incoming.StartsWith("text/plain", StringComparison.Ordinal))
        {
            // Only newline-separated names are understood.
            throw new BulkRefusal(StatusCodes.Status406NotAcceptable);
        }
        var names = await ReadNamesAsync(client.Request).ConfigureAwait(false);
        // Objects first, so that containers they empty can go too.
        foreach (var containers in (bool[])[false, true])
        {
            foreach (var name in names.Where(n => n.Length > 0 && !n.Trim('/').Contains('/', StringComparison.Ordinal) == containers))
            {
                var target = $"/{version}/{account}/{name.TrimStart('/')}";
                if (target.Contains('\0', StringComparison.Ordinal))
                {
                    errors.Add((BulkSubrequest.Quote(name), "412 Precondition Failed"));
                }
                else
                {
                    var answer = await BulkSubrequest.RunAsync(client, next, "DELETE", BulkSubrequest.Quote(target)).ConfigureAwait(false);
                    Count(answer, name, tally, errors);
                }
                if (errors.Count >= BulkLimits.MaxFailedDeletes)
                {
                    throw new BulkRefusal(StatusCodes.Status400BadRequest, "Max delete failures exceeded");
                }
            }
        }
    }

    private static void Count(int answer, string name, Tally tally, List<(string Name, string Status)> errors)
    {
        if (answer is >= 200 and < 300)
        {
            tally.Deleted++;
        }
        else if (answer == StatusCodes.Status404NotFound)
        {
            tally.NotFound++;
        }
        else
        {
            tally.ServerFailed |= answer >= 500;
            errors.Add((BulkSubrequest.Quote(name), BulkSubrequest.StatusLine(answer)));
        }
    }

    /// <summary>
    /// The body's lines, stripped and percent-decoded (swift's <c>get_objs_to_delete</c>): 411 without a length, 413
    /// past max_deletes_per_request names, 400 "Invalid File Name" for a line longer than twice the longest path.
    /// </summary>
    private static async Task<List<string>> ReadNamesAsync(HttpRequest request)
    {
        if (request.ContentLength is null && !request.Headers.TransferEncoding.ToString().Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            throw new BulkRefusal(StatusCodes.Status411LengthRequired);
        }
        var names = new List<string>();
        var line = new List<byte>();
        var buffer = new byte[BulkLimits.MaxPathLength];
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    names.Add(Decode(line));
                    line.Clear();
                }
                else
                {
                    line.Add(buffer[i]);
                }
            }
            if (read == 0 && Decode(line) is { Length: > 0 } last)
            {
                names.Add(last);
            }
            if (names.Count > BulkLimits.MaxDeletesPerRequest)
            {
                throw new BulkRefusal(StatusCodes.Status413RequestEntityTooLarge, $"Maximum Bulk Deletes: {BulkLimits.MaxDeletesPerRequest} per request");
            }
            if (line.Count > BulkLimits.MaxPathLength * 2)
            {
                throw new BulkRefusal(StatusCodes.Status400BadRequest, "Invalid File Name");
            }
            if (read == 0)
            {
                return names;
            }
        }
    }

    private static string Decode(List<byte> line) => Uri.UnescapeDataString(Encoding.UTF8.GetString([.. line]).Trim());

    private sealed class Tally
    {
        public int Deleted { get; set; }

        public int NotFound { get; set; }

        public bool ServerFailed { get; set; }
    }
}
