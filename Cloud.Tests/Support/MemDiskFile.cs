using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.DiskFile;

namespace Cloud.Tests.Support;

/// <summary>
/// Test double of <see cref="IDiskFile"/> holding an object's .data, .ts and .meta in memory, with the same rules as
/// the files on disk: the newest .data or .ts wins (a tombstone on a tie), a newer .meta replaces the user metadata,
/// and what a write supersedes is dropped.
/// </summary>
public sealed class MemDiskFile(string key) : IDiskFile
{
    private readonly Lock _lock = new();
    private Entry? _newest;
    private Entry? _meta;

    public DiskFileState Read()
    {
        lock (_lock)
        {
            if (_newest is null)
            {
                return DiskFileState.Missing;
            }
            if (_newest.Content is null)
            {
                return new DiskFileState(_newest.Timestamp, true, new Dictionary<string, string>(), null);
            }
            var metadata = new Dictionary<string, string>(_newest.Metadata);
            if (_meta is not null && SwiftTimestamp.Compare(_meta.Timestamp, _newest.Timestamp) > 0)
            {
                foreach (var user in metadata.Keys.Where(k => k.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    metadata.Remove(user);
                }
                foreach (var (name, value) in _meta.Metadata)
                {
                    metadata[name] = value;
                }
            }
            return new DiskFileState(_newest.Timestamp, false, metadata, DataPathOf(_newest.Timestamp));
        }
    }

    public Stream OpenData(DiskFileState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            return _newest is { Content: { } content } && DataPathOf(_newest.Timestamp) == state.DataPath
                ? new MemoryStream(content, writable: false)
                : throw new FileNotFoundException("The object does not exist.");
        }
    }

    public IDiskFileWriter CreateWriter() => new MemDiskFileWriter(this);

    public void WriteTombstone(string timestamp) =>
        Install(new Entry(timestamp, new Dictionary<string, string> { ["X-Timestamp"] = timestamp }, null));

    public void WriteMetadata(string timestamp, IReadOnlyDictionary<string, string> metadata)
    {
        lock (_lock)
        {
            if (_meta is null || SwiftTimestamp.Compare(timestamp, _meta.Timestamp) > 0)
            {
                _meta = new Entry(timestamp, new Dictionary<string, string>(metadata) { ["X-Timestamp"] = timestamp }, null);
            }
            DropSupersededMeta();
        }
    }

    internal void Install(Entry entry)
    {
        lock (_lock)
        {
            var order = _newest is null ? 1 : SwiftTimestamp.Compare(entry.Timestamp, _newest.Timestamp);
            if (order > 0 || (order == 0 && entry.Content is null))
            {
                _newest = entry;
            }
            DropSupersededMeta();
        }
    }

    // As the clean-up on disk: a .meta stays only while it is newer than the object's content.
    private void DropSupersededMeta()
    {
        if (_meta is not null && (_newest?.Content is null || SwiftTimestamp.Compare(_meta.Timestamp, _newest.Timestamp) <= 0))
        {
            _meta = null;
        }
    }

    private string DataPathOf(string timestamp) => $"mem://{key}/{timestamp}.data";

    /// <summary>One stored file: a .data (with content), a .ts or a .meta (without).</summary>
    internal sealed record Entry(string Timestamp, IReadOnlyDictionary<string, string> Metadata, byte[]? Content);
}
