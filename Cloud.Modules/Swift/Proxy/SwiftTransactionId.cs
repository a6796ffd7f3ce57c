using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's transaction id (catch_errors' <c>generate_trans_id</c>): <c>tx</c>, 21 random hex digits, <c>-</c>, the
/// time in 10 hex digits, then the client's <c>X-Trans-Id-Extra</c> (its first 32 chars, percent-quoted) after a
/// dash. Every proxy answer carries it as X-Trans-Id and X-Openstack-Request-Id, errors included, so an operator can
/// find a client's request in the logs.
/// </summary>
public static class SwiftTransactionId
{
    /// <summary>The response headers that carry the id.</summary>
    public static readonly IReadOnlyList<string> Headers = ["X-Trans-Id", "X-Openstack-Request-Id"];

    /// <summary>A new id for <paramref name="context"/>'s request.</summary>
    public static string New(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var extra = context.Request.Headers["X-Trans-Id-Extra"].ToString();
        return New(DateTimeOffset.UtcNow, extra.Length == 0 ? "" : "-" + Quote(extra.Length > 32 ? extra[..32] : extra));
    }

    // Random bytes one thread's ids are cut from: one call into OpenSSL per 96 ids, where one per id (its RAND_bytes,
    // error-queue clearing and fork check: getpid) was 2.4 % of the proxy's CPU per 4 KiB GET (perf).
    private const int RandomBytesPerId = 11;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomUsed;

    /// <summary>An id made at <paramref name="now"/> ending with <paramref name="suffix"/>.</summary>
    public static string New(DateTimeOffset now, string suffix) =>
        "tx" + Convert.ToHexStringLower(NextRandom())[..21]
        + "-" + now.ToUnixTimeSeconds().ToString("x10", CultureInfo.InvariantCulture) + suffix;

    private static ReadOnlySpan<byte> NextRandom()
    {
        var pool = t_random;
        if (pool is null || t_randomUsed + RandomBytesPerId > pool.Length)
        {
            pool = t_random ??= new byte[96 * RandomBytesPerId];
            RandomNumberGenerator.Fill(pool);
            t_randomUsed = 0;
        }
        var bytes = pool.AsSpan(t_randomUsed, RandomBytesPerId);
        t_randomUsed += RandomBytesPerId;
        return bytes;
    }

    // Python's urllib.parse.quote with its default safe '/': the suffix must stay one header token.
    private static string Quote(string text) =>
        string.Concat(SwiftHeaderBytes(text).Select(b =>
            (b is >= (byte)'a' and <= (byte)'z') || (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'0' and <= (byte)'9') || "_.-~/".Contains((char)b, StringComparison.Ordinal)
                ? new string((char)b, 1)
                : "%" + b.ToString("X2", CultureInfo.InvariantCulture)));

    private static byte[] SwiftHeaderBytes(string wire) => Common.SwiftHeaderText.Encoding.GetBytes(wire);
}
