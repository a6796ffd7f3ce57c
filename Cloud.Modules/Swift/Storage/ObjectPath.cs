using System.Globalization;

namespace Cloud.Modules.Swift.Storage;

/// <summary>The path of an object server request: <c>/device/partition/account/container/object</c>.</summary>
/// <param name="Device">Device directory name (one path segment, never . or ..).</param>
/// <param name="Partition">Ring partition.</param>
/// <param name="Account">Account name (decoded).</param>
/// <param name="Container">Container name (decoded).</param>
/// <param name="Object">Object name (decoded; may contain slashes).</param>
public sealed record ObjectPath(string Device, int Partition, string Account, string Container, string Object)
{
    /// <summary>Swift's limit on object names (<c>MAX_OBJECT_NAME_LENGTH</c>), in bytes.</summary>
    public const int MaxObjectNameBytes = 1024;

    /// <summary>The name stored in metadata: /account/container/object.</summary>
    public string Name => $"/{Account}/{Container}/{Object}";

    /// <summary>
    /// Parses the raw request target. Segments are percent-decoded one by one, so an encoded slash (%2F) in the
    /// device is refused instead of quietly turning into a path separator.
    /// </summary>
    public static bool TryParse(string rawTarget, out ObjectPath? path, out string error)
    {
        path = null;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var raw = query >= 0 ? rawTarget[..query] : rawTarget;
        var parts = raw.TrimStart('/').Split('/', 5);
        if (!raw.StartsWith('/') || parts.Length < 5 || parts.Any(p => p.Length == 0))
        {
            error = "Invalid path: expected /device/partition/account/container/object.";
            return false;
        }
        string[] decoded;
        try
        {
            decoded = parts.Select(Uri.UnescapeDataString).ToArray();
        }
        catch (UriFormatException)
        {
            error = "Invalid path: bad percent-encoding.";
            return false;
        }
        var device = decoded[0];
        if (device is "." or ".." || device.Contains('/', StringComparison.Ordinal) || device.Contains('\0', StringComparison.Ordinal))
        {
            error = $"Invalid device: {device}";
            return false;
        }
        if (!parts[1].All(char.IsAsciiDigit) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            error = $"Invalid partition: {parts[1]}";
            return false;
        }
        if (decoded[2].Contains('/', StringComparison.Ordinal) || decoded[3].Contains('/', StringComparison.Ordinal))
        {
            error = "Invalid path: account and container names cannot contain '/'.";
            return false;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(decoded[4]) > MaxObjectNameBytes)
        {
            error = $"Object name length of {System.Text.Encoding.UTF8.GetByteCount(decoded[4])} longer than {MaxObjectNameBytes}";
            return false;
        }
        path = new ObjectPath(device, partition, decoded[2], decoded[3], decoded[4]);
        error = "";
        return true;
    }
}
