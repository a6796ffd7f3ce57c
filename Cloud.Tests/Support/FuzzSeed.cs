namespace Cloud.Tests.Support;

/// <summary>
/// One valid request of an API that the fuzzer mutates: a method, a path with its query (ids of the fuzz cloud's real
/// resources already filled in, so mutations reach deep code), and a body with its content type.
/// </summary>
/// <param name="Headers">Headers the valid request needs besides the caller's token (e.g. Glance v1's x-image-meta-*).</param>
public sealed record FuzzSeed(string Method, string PathAndQuery, string? Body = null, string? ContentType = null, IReadOnlyList<(string Name, string Value)>? Headers = null)
{
    public static FuzzSeed Get(string path) => new("GET", path);

    public static FuzzSeed Json(string method, string path, string body) => new(method, path, body, "application/json");
}
