using System.Text;

namespace Cloud.Modules.Api.Metadata;

/// <summary>
/// A node of the metadata tree: a directory of named children or a leaf. A directory answers with the listing
/// nova prints: its children's names sorted, one per line, directories with a trailing <c>/</c> unless they carry a
/// <see cref="ListedAs"/> name (EC2's <c>public-keys/</c> lists <c>0=keyname</c>).
/// </summary>
public sealed class MetadataNode
{
    public const string TextType = "text/plain; charset=utf-8";
    public const string JsonType = "application/json";

    private readonly byte[]? _content;

    private MetadataNode(byte[]? content, string contentType, IReadOnlyDictionary<string, MetadataNode>? children, string? listedAs)
    {
        _content = content;
        ContentType = contentType;
        Children = children;
        ListedAs = listedAs;
    }

    /// <summary>The children by name; null for a leaf.</summary>
    public IReadOnlyDictionary<string, MetadataNode>? Children { get; }

    /// <summary>How a directory appears in its parent's listing instead of <c>name/</c>; null for the default.</summary>
    public string? ListedAs { get; }

    public string ContentType { get; }

    public static MetadataNode Text(string value) => new(Encoding.UTF8.GetBytes(value), TextType, null, null);

    /// <summary>Lines joined by newlines, without a final one (nova's rendering of a list).</summary>
    public static MetadataNode Lines(IEnumerable<string> lines) => Text(string.Join('\n', lines));

    public static MetadataNode Bytes(byte[] value, string contentType) => new(value, contentType, null, null);

    public static MetadataNode Directory(IReadOnlyDictionary<string, MetadataNode> children, string? listedAs = null) =>
        new(null, TextType, children, listedAs);

    /// <summary>The node at <paramref name="path"/> below this one (this node for an empty path), or null.</summary>
    public MetadataNode? Find(IEnumerable<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        foreach (var name in path)
        {
            if (node.Children is null || !node.Children.TryGetValue(name, out var child))
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    /// <summary>The body this node answers with: a leaf's content or a directory's listing.</summary>
    public byte[] Render() => _content ?? Encoding.UTF8.GetBytes(string.Join('\n',
        Children!.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Children is null ? c.Key : c.Value.ListedAs ?? c.Key + "/")));
}
