using System.Text;

namespace Cloud.Modules.Swift.Proxy.Middleware.TempUrl;

/// <summary>The Content-Disposition a temporary URL download carries, as swift's tempurl writes it.</summary>
public static class TempUrlDisposition
{
    /// <summary><c>&lt;type&gt;; filename="&lt;name&gt;"; filename*=UTF-8''&lt;name&gt;</c>, the name percent-encoded as Python's quote.</summary>
    public static string Format(string type, string filename) =>
        $"{type}; filename=\"{Quote(filename, " /")}\"; filename*=UTF-8''{Quote(filename, "/")}";

    /// <summary>Python's <c>urllib.parse.quote</c>: UTF-8, letters, digits, <c>_.-~</c> and <paramref name="safe"/> kept.</summary>
    public static string Quote(string value, string safe)
    {
        var quoted = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "_.-~".Contains(c) || safe.Contains(c)))
            {
                quoted.Append(c);
            }
            else
            {
                quoted.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return quoted.ToString();
    }
}
