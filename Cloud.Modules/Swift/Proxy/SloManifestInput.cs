using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// A client's SLO manifest (<c>PUT ?multipart-manifest=put</c>), checked as swift's slo <c>parse_and_validate_input</c>
/// does: a JSON list of objects with a string <c>path</c> (<c>/container/object</c>), an optional string or null
/// <c>etag</c> and an optional <c>size_bytes</c> (an integer, or what Python's <c>int()</c> takes: a numeric string, a
/// boolean) and an optional <c>range</c> of one byte range. Every problem becomes a line of the 400's text, never an exception.
/// </summary>
public static class SloManifestInput
{
    /// <summary>swift's DEFAULT_MAX_MANIFEST_SEGMENTS.</summary>
    public const int MaxSegments = 1000;

    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "path", "etag", "size_bytes", "range" };

    /// <summary>One checked entry.</summary>
    /// <param name="Path">The segment as given, e.g. <c>/segments/part1</c>.</param>
    /// <param name="Container">Its container.</param>
    /// <param name="Object">Its object name.</param>
    /// <param name="Etag">The ETag the segment must have, if given.</param>
    /// <param name="SizeBytes">The size it must have, if given.</param>
    /// <param name="Range">The part of it to use (<c>first-last</c>, <c>first-</c> or <c>-suffix</c>), if given.</param>
    public sealed record Entry(string Path, string Container, string Object, string? Etag, long? SizeBytes, string? Range);

    /// <summary>Parses <paramref name="json"/>; returns the entries, or null and swift's error text in <paramref name="error"/>.</summary>
    public static IReadOnlyList<Entry>? Parse(ReadOnlySpan<byte> json, out string error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            error = "Manifest must be valid JSON.\n";
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "Manifest must be a list.\n";
                return null;
            }
            var count = document.RootElement.GetArrayLength();
            if (count > MaxSegments)
            {
                error = $"Number of segments must be <= {MaxSegments}.\n";
                return null;
            }
            var entries = new List<Entry>();
            var errors = new StringBuilder();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (Checked(item, index, index == count - 1, out var problem) is { } entry)
                {
                    entries.Add(entry);
                }
                else
                {
                    errors.Append(CultureInfo.InvariantCulture, $"Index {index}: {problem}\n");
                }
                index++;
            }
            error = errors.ToString();
            return error.Length == 0 ? entries : null;
        }
    }

    /// <summary><see cref="Check"/>, with a string .NET cannot read (a lone surrogate escape, <c>"\udfff"</c>) as the entry's problem.</summary>
    private static Entry? Checked(JsonElement item, int index, bool last, out string problem)
    {
        try
        {
            return Check(item, index, last, out problem);
        }
        catch (InvalidOperationException)
        {
            problem = "a string is not valid UTF-16 (a lone surrogate escape)";
            return null;
        }
    }

    private static Entry? Check(JsonElement item, int index, bool last, out string problem)
    {
        problem = "";
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return null;
        }
        if (!item.TryGetProperty("path", out var path))
        {
            problem = "expected keys to include one of 'path' or 'data'";
            return null;
        }
        var extraneous = item.EnumerateObject().Select(p => p.Name).Where(n => !Allowed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (extraneous.Count > 0)
        {
            problem = "extraneous keys " + string.Join(", ", extraneous.Select(n => JsonSerializer.Serialize(n)));
            return null;
        }
        if (path.ValueKind != JsonValueKind.String)
        {
            problem = "\"path\" must be a string";
            return null;
        }
        string? etag = null;
        if (item.TryGetProperty("etag", out var etagValue) && etagValue.ValueKind != JsonValueKind.Null)
        {
            if (etagValue.ValueKind != JsonValueKind.String)
            {
                problem = "\"etag\" must be a string or null (if provided)";
                return null;
            }
            etag = etagValue.GetString();
        }
        var name = path.GetString()!.Trim('/');
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            problem = "path does not refer to an object. Path must be of the form /container/object.";
            return null;
        }
        long? size = null;
        if (item.TryGetProperty("size_bytes", out var sizeValue) && sizeValue.ValueKind != JsonValueKind.Null)
        {
            if (SizeOf(sizeValue) is not { } parsed)
            {
                problem = "invalid size_bytes";
                return null;
            }
            if (parsed < 1 && !last)
            {
                problem = "too small; each segment must be at least 1 byte.";
                return null;
            }
            size = parsed;
        }
        string? range = null;
        if (item.TryGetProperty("range", out var rangeValue) && IsTruthy(rangeValue))
        {
            var text = rangeValue.ValueKind == JsonValueKind.String ? rangeValue.GetString()! : "";
            if (text.Contains(',', StringComparison.Ordinal))
            {
                problem = "multiple ranges (only one allowed)";
                return null;
            }
            // Checked against a length no object reaches: only the syntax counts here, the segment's size at PUT time.
            if (!Kernel.Http.ByteRange.TryParse("bytes=" + text, long.MaxValue, out _))
            {
                problem = "invalid range";
                return null;
            }
            if (size is { } known && (!Kernel.Http.ByteRange.TryParse("bytes=" + text, known, out var resolved) || resolved is null))
            {
                problem = "unsatisfiable range";
                return null;
            }
            range = text;
        }
        var trimmed = path.GetString()!.TrimStart('/');
        var split = trimmed.IndexOf('/', StringComparison.Ordinal);
        return new Entry(path.GetString()!, trimmed[..split], trimmed[(split + 1)..], etag, size, range);
    }

    // Python's truth: swift ignores a null, empty or false "range".
    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => true,
    };

    /// <summary>What Python's <c>int()</c> makes of a JSON value: integers, integral floats (truncated), booleans, integer strings.</summary>
    private static long? SizeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number when value.TryGetDouble(out var real) && Math.Abs(real) < long.MaxValue => (long)Math.Truncate(real),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String when long.TryParse(value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
