using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Api.OpenStack.Validation;

/// <summary>Python's repr() and str() of decoded JSON, which nova's validation messages print.</summary>
public static class PythonRepr
{
    public static string Repr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => String(value.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => "None",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Number => Number(value),
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Repr)) + "]",
        _ => "{" + string.Join(", ", value.EnumerateObject().Select(p => String(p.Name) + ": " + Repr(p.Value))) + "}",
    };

    /// <summary>str(): a string as itself, anything else as repr.</summary>
    public static string Str(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : Repr(value);

    /// <summary>A path element: a key as itself, an index as its number.</summary>
    public static string Key(object key) => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "";

    /// <summary>repr() of a str: single quotes unless it holds a single quote and no double quote.</summary>
    public static string String(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var result = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ when c < ' ' || c == '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return result.Append(quote).ToString();
    }

    /// <summary>A list of strings as python prints it: ['a', 'b'].</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(String)) + "]";

    private static string Number(JsonElement value) =>
        value.TryGetInt64(out var integer) ? integer.ToString(CultureInfo.InvariantCulture)
        : value.GetDouble().ToString("R", CultureInfo.InvariantCulture) is var d && !d.Contains('.', StringComparison.Ordinal) && !d.Contains('E', StringComparison.Ordinal) ? d + ".0" : value.GetDouble().ToString("R", CultureInfo.InvariantCulture);
}
