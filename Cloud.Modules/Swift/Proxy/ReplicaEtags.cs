namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The ETag of a replicated PUT, taken from its replicas' answers as swift's proxy takes it
/// (<c>ReplicatedObjectController._store_object</c>): the proxy does not hash the body itself; each object server
/// hashes what it received, refuses a body that does not match the client's ETag (422), and answers its MD5. The
/// ETags of the successful answers (quotes dropped) must all be one: two different ones mean the replicas stored
/// different bodies, which swift answers with a 500 whatever the quorum.
/// </summary>
public static class ReplicaEtags
{
    /// <summary>
    /// False when the successful answers carry more than one ETag (a success without one counts as its own value,
    /// as swift's set of <c>normalize_etag(None)</c> does); else true with their ETag, or null when none succeeded.
    /// </summary>
    public static bool TryAgree(IReadOnlyList<HttpResponseMessage?> answers, out string? etag)
    {
        ArgumentNullException.ThrowIfNull(answers);
        etag = null;
        var seen = false;
        foreach (var answer in answers)
        {
            if (answer is not { IsSuccessStatusCode: true })
            {
                continue;
            }
            var stored = Normalize(answer);
            if (seen && !string.Equals(stored, etag, StringComparison.Ordinal))
            {
                etag = null;
                return false;
            }
            (etag, seen) = (stored, true);
        }
        return true;
    }

    // swift's normalize_etag: the header's value without its quotes. Read raw, as a weak or malformed value is compared as sent.
    private static string? Normalize(HttpResponseMessage answer) =>
        answer.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault()?.Trim('"') : null;
}
