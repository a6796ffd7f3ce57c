using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// The distinct keys of a <see cref="KeyChunks"/> statement as the JSON array SQLite's <c>json_each</c> reads. Every
/// fact of a <c>/servers/detail</c> page (metadata, groups, addresses, tags, extras) sends the page's 1,000 uuids:
/// LINQ's Distinct and JsonSerializer over it were 4.6 % of the page's CPU samples (perf, 1,000 servers). Keys of
/// only ASCII letters, digits and '-' (uuids, ids) need no escaping and are copied as they are; any other key goes
/// through <see cref="JsonSerializer"/>, so what json_each reads back is the key whatever it holds.
/// </summary>
public static class JsonKeyArray
{
    /// <summary>What a key may hold to be copied as it is; searched vectorised (a loop over each char was 5 % of a page's samples).</summary>
    private static readonly SearchValues<char> PlainChars = SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary><paramref name="keys"/> without repeats, in first-seen order, as a JSON array of strings.</summary>
    public static string Of(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var seen = new HashSet<string>(keys.Count, StringComparer.Ordinal);
        var json = new StringBuilder(2 + (keys.Count * 39));
        json.Append('[');
        foreach (var key in keys)
        {
            if (!seen.Add(key))
            {
                continue;
            }
            if (seen.Count > 1)
            {
                json.Append(',');
            }
            if (key is not null && IsPlain(key))
            {
                json.Append('"').Append(key).Append('"');
            }
            else
            {
                json.Append(JsonSerializer.Serialize(key));
            }
        }
        return json.Append(']').ToString();
    }

    private static bool IsPlain(string key) => !key.AsSpan().ContainsAnyExcept(PlainChars);
}
