using System.Text;

namespace Cloud.Tests.Support;

/// <summary>One hostile request the fuzzer sends: everything needed to replay it by hand.</summary>
public sealed record FuzzCase(string Api, int Index, string Method, string PathAndQuery, byte[]? Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers)
{
    /// <summary>API, case number, method, path (escaped), headers, body prefix: what a failure message names.</summary>
    public string Describe()
    {
        var body = Body is null ? "(no body)" : Escape(Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 200)));
        var headers = string.Join(", ", Headers.Select(h => $"{h.Name}: {Escape(h.Value[..Math.Min(h.Value.Length, 60)])}"));
        return $"{Api} #{Index} {Method} {Escape(PathAndQuery[..Math.Min(PathAndQuery.Length, 300)])} content-type={ContentType ?? "-"} "
            + $"[{headers}] body({Body?.Length ?? 0} bytes)={body}";
    }

    /// <summary>Control characters and non-ASCII as \uXXXX, so a message shows exactly what was sent.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c is < ' ' or > '~' ? builder.Append($"\\u{(int)c:x4}") : builder.Append(c);
        }
        return builder.ToString();
    }
}
