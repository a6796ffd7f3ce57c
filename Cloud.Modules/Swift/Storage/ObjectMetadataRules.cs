using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Swift's limits on user metadata (<c>swift.common.constraints.check_metadata</c>) and how it is taken from headers.</summary>
public static class ObjectMetadataRules
{
    /// <summary>Header prefix of user metadata.</summary>
    public const string Prefix = "X-Object-Meta-";

    public const int MaxNameBytes = 128;
    public const int MaxValueBytes = 256;
    public const int MaxCount = 90;
    public const int MaxOverallBytes = 4096;

    /// <summary>
    /// The request's X-Object-Meta-* headers with Swift's title-cased names, or an error message when they break a limit.
    /// Sizes count the name without its prefix plus the value, in the bytes the client sent, as Swift does.
    /// </summary>
    public static string? TryRead(IHeaderDictionary headers, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var overall = 0;
        foreach (var (key, values) in headers)
        {
            if (!key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var name = key[Prefix.Length..];
            var value = values.ToString();
            if (name.Length == 0)
            {
                return "Metadata name cannot be empty";
            }
            // Header values are read as Latin-1 (SwiftHeaderText): one char per byte the client sent.
            var nameBytes = Common.SwiftHeaderText.ByteCount(name);
            var valueBytes = Common.SwiftHeaderText.ByteCount(value);
            if (nameBytes > MaxNameBytes)
            {
                return $"Metadata name too long: {name}; max {MaxNameBytes}";
            }
            if (valueBytes > MaxValueBytes)
            {
                return $"Metadata value longer than {MaxValueBytes}: {name}";
            }
            overall += nameBytes + valueBytes;
            metadata[TitleCase(key)] = value;
        }
        if (metadata.Count > MaxCount)
        {
            return $"Too many metadata items; max {MaxCount}";
        }
        if (overall > MaxOverallBytes)
        {
            return $"Total metadata too large; max {MaxOverallBytes}";
        }
        return null;
    }

    /// <summary>Header prefix of system metadata: set by the proxy's middlewares only, never by clients.</summary>
    public const string SysmetaPrefix = "X-Object-Sysmeta-";

    /// <summary>Whether <paramref name="header"/> is system metadata (X-Object-Sysmeta-*).</summary>
    public static bool IsSysmeta(string header) => header.StartsWith(SysmetaPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Swift stores header names title-cased (x-object-meta-color → X-Object-Meta-Color).</summary>
    public static string TitleCase(string header) =>
        string.Join('-', header.Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
