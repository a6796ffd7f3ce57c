using System.Globalization;
using System.Text;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Strings written as Swift's Python writes them, for the error messages and ACL values clients compare byte for byte:
/// <c>repr()</c> of a str and <c>json.dumps(..., ensure_ascii=True)</c> of one.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>repr(value)</c>: single quotes, unless the text holds a single quote and no double quote.</summary>
    public static string Repr(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                _ when c == quote => text.Append('\\').Append(c),
                _ when c < ' ' || c == '\x7f' => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }
        return text.Append(quote).ToString();
    }

    /// <summary>Python's <c>json.dumps(value)</c> of a str (ensure_ascii: everything past ASCII as \uXXXX).</summary>
    public static string Json(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder().Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                '\b' => text.Append(@"\b"),
                '\f' => text.Append(@"\f"),
                _ when c < ' ' || c > '~' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }
        return text.Append('"').ToString();
    }
}
