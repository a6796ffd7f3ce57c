using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Which client headers travel to the storage servers, and how the answers of several replicas make one.</summary>
public static class SwiftProxyHeaders
{
    /// <summary>Headers read conditions and ranges from; passed to the object server on GET and HEAD.</summary>
    public static readonly string[] Read = ["Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"];

    /// <summary>Headers a listing's format follows (swift's listing_formats reads Accept when there is no format=).</summary>
    public static readonly string[] Listing = ["Accept"];

    /// <summary>Object headers a client may set (swift's allowed_headers) besides X-Object-Meta-*.</summary>
    public static readonly string[] ObjectWrite = ["Content-Disposition", "Content-Encoding", "X-Delete-At", "X-Delete-After", "X-Object-Manifest", "X-Static-Large-Object", "If-None-Match"];

    /// <summary>Container headers a client may set besides X-Container-Meta-*.</summary>
    public static readonly string[] ContainerWrite = ["X-Container-Read", "X-Container-Write", "X-Container-Sync-To", "X-Container-Sync-Key", "X-Versions-Location", "X-History-Location",
        Middleware.ObjectVersioningMiddleware.EnabledSysmeta];

    /// <summary>Copies the client's headers named in <paramref name="names"/> or starting with <paramref name="prefix"/> (also X-Remove-&lt;prefix&gt;).</summary>
    public static void Copy(HttpRequest from, HttpRequestMessage to, string? prefix, IEnumerable<string> names)
    {
        var wanted = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in from.Headers)
        {
            if (prefix is not null && prefix != "X-Object-Meta-" && name.StartsWith("X-Remove-" + prefix[2..], StringComparison.OrdinalIgnoreCase))
            {
                // swift's proxy turns X-Remove-Account-Meta-Foo into X-Account-Meta-Foo with an empty value, which removes it.
                to.Headers.TryAddWithoutValidation("X-" + name["X-Remove-".Length..], "");
                continue;
            }
            var matches = wanted.Contains(name)
                || (prefix is not null && (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("X-Remove-" + prefix[2..], StringComparison.OrdinalIgnoreCase)));
            if (matches)
            {
                to.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }
    }

    /// <summary>How many of <paramref name="replicas"/> must store a write for it to succeed: a majority, as swift's quorum_size.</summary>
    public static int QuorumOf(int replicas) => replicas / 2 + 1;

    /// <summary>
    /// One answer for a write sent to every replica: a success when a majority succeeded (swift's quorum), otherwise
    /// the most common failure; null when no replica answered. The other answers are disposed.
    /// </summary>
    public static HttpResponseMessage? Quorum(IReadOnlyList<HttpResponseMessage?> answers)
    {
        var quorum = QuorumOf(answers.Count);
        var present = answers.OfType<HttpResponseMessage>().ToList();
        var successes = present.Where(a => a.IsSuccessStatusCode).ToList();
        var chosen = successes.Count >= quorum
            ? successes[0]
            : present.Where(a => !a.IsSuccessStatusCode).GroupBy(a => a.StatusCode).OrderByDescending(g => g.Count()).Select(g => g.First()).FirstOrDefault();
        foreach (var answer in present.Where(a => !ReferenceEquals(a, chosen)))
        {
            answer.Dispose();
        }
        return chosen;
    }
}
