using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// Metadata of a .data, .ts or .meta file: a JSON object of strings in the xattr <c>user.swift.metadata</c>.
/// Swift pickles a dict into <c>user.swift.metadata[N]</c> chunks instead; the keys are the same (name,
/// X-Timestamp, Content-Type, Content-Length, ETag, X-Object-Meta-*), the encoding is ours, so disks are not
/// interchangeable with a Python Swift.
/// </summary>
internal static class DiskFileMetadata
{
    public const string AttributeName = "user.swift.metadata";

    // Raw UTF-8 rather than \uXXXX escapes: xattr space is scarce and the JSON never reaches a browser.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, IReadOnlyDictionary<string, string> metadata) =>
        Xattr.Set(path, AttributeName, JsonSerializer.SerializeToUtf8Bytes(metadata, Options));

    public static Dictionary<string, string> Read(string path)
    {
        var bytes = Xattr.Get(path, AttributeName);
        if (bytes is null)
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }
        // Parsed straight into the case-insensitive dictionary readers want, not into one copied into it.
        return JsonSerializer.Deserialize<IgnoreCaseMetadata>(bytes) ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>What the serializer builds: header names compare as HTTP's do.</summary>
    private sealed class IgnoreCaseMetadata() : Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
