using System.Text;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// Percent-encoding as AWS signatures define it (RFC 3986 over UTF-8, upper-case hex, only <c>A-Za-z0-9-_.~</c>
/// left alone), and the lenient decoding of query strings and form bodies that Python's <c>parse_qsl</c> does.
/// </summary>
internal static class AwsUriEncoding
{
    private const string Hex = "0123456789ABCDEF";

    public static bool IsUnreserved(char c) =>
        c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~';

    /// <summary>Encodes every character but the unreserved ones (and <c>/</c> when <paramref name="keepSlash"/>).</summary>
    public static string Encode(string value, bool keepSlash = false)
    {
        var i = 0;
        while (i < value.Length && (IsUnreserved(value[i]) || (keepSlash && value[i] == '/')))
        {
            i++;
        }
        if (i == value.Length)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, i);
        Span<byte> utf8 = stackalloc byte[4];
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnreserved(c) || (keepSlash && c == '/'))
            {
                builder.Append(c);
                continue;
            }
            var width = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(value.AsSpan(i, width), utf8);
            i += width - 1;
            foreach (var b in utf8[..count])
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Decodes <c>%XX</c> escapes as UTF-8 and, when <paramref name="plusIsSpace"/>, <c>+</c> as a space. A broken
    /// escape stays as written and invalid UTF-8 becomes U+FFFD, as Python's <c>unquote_plus</c> does, so a
    /// garbled request fails its signature check instead of throwing.
    /// </summary>
    public static string Decode(string value, bool plusIsSpace = true)
    {
        if (value.IndexOf('%') < 0 && (!plusIsSpace || value.IndexOf('+') < 0))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add((byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var width = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
                var count = Encoding.UTF8.GetBytes(value.AsSpan(i, width), utf8);
                i += width - 1;
                foreach (var b in utf8[..count])
                {
                    bytes.Add(b);
                }
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// Splits <c>a=1&amp;b=&amp;c</c> into decoded (name, value) pairs in wire order. A piece without <c>=</c> has
    /// an empty value; empty pieces (<c>a=1&amp;&amp;b=2</c>) are skipped, as <c>parse_qsl</c> does.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParsePairs(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return [];
        }
        var span = raw.StartsWith('?') ? raw[1..] : raw;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var piece in span.Split('&'))
        {
            if (piece.Length == 0)
            {
                continue;
            }
            var equals = piece.IndexOf('=');
            pairs.Add(equals < 0
                ? new KeyValuePair<string, string>(Decode(piece), "")
                : new KeyValuePair<string, string>(Decode(piece[..equals]), Decode(piece[(equals + 1)..])));
        }
        return pairs;
    }

    private static bool IsHex(char c) => c is >= '0' and <= '9' or >= 'A' and <= 'F' or >= 'a' and <= 'f';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
