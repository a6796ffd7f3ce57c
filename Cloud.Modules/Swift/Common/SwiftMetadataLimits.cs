using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Swift's limits on user metadata (<c>swift.common.constraints.check_metadata</c>), for accounts, containers and
/// objects alike: a name of at most 128 bytes, a value of at most 256, 90 items, 4096 bytes in all (names without
/// their prefix plus values), and no header line over 8192 bytes. Header values are counted in wire bytes
/// (<see cref="SwiftHeaderText"/>), as Swift counts them.
/// </summary>
public static class SwiftMetadataLimits
{
    public const int MaxNameBytes = 128;
    public const int MaxValueBytes = 256;
    public const int MaxCount = 90;
    public const int MaxOverallBytes = 4096;

    /// <summary>
    /// Swift's message for the first limit <paramref name="headers"/> break for <paramref name="target"/> ("account",
    /// "container" or "object"), or null. Removals (X-Remove-*) are not metadata items.
    /// </summary>
    public static string? Check(IHeaderDictionary headers, string target)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var prefix = $"x-{target}-meta-";
        var (count, size) = (0, 0);
        foreach (var (header, values) in headers)
        {
            var value = values.ToString();
            if (SwiftHeaderText.ByteCount(value) > SwiftKestrel.MaxHeaderSize)
            {
                return $"Header value too long: {(header.Length > MaxNameBytes ? header[..MaxNameBytes] : header)}";
            }
            if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            // swob title-cases header names; the message shows the lower-case prefix and the title-cased rest.
            var key = TitleCase(header[prefix.Length..]);
            if (key.Length == 0)
            {
                return "Metadata name cannot be empty";
            }
            if (target is "account" or "container" && (!IsUtf8(key) || !IsUtf8(value)))
            {
                return "Metadata must be valid UTF-8";
            }
            count++;
            size += SwiftHeaderText.ByteCount(key) + SwiftHeaderText.ByteCount(value);
            if (SwiftHeaderText.ByteCount(key) > MaxNameBytes)
            {
                return $"Metadata name too long: {prefix}{key}";
            }
            if (SwiftHeaderText.ByteCount(value) > MaxValueBytes)
            {
                return $"Metadata value longer than {MaxValueBytes}: {prefix}{key}";
            }
            if (count > MaxCount)
            {
                return $"Too many metadata items; max {MaxCount}";
            }
            if (size > MaxOverallBytes)
            {
                return $"Total metadata too large; max {MaxOverallBytes}";
            }
        }
        return null;
    }

    private static string TitleCase(string name) =>
        string.Join('-', name.Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));

    private static bool IsUtf8(string wire) => SwiftHeaderText.Decode(wire) is var text && (text != wire || wire.All(c => c < 0x80));
}
