namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// One object's files on one device (Swift's DiskFile): <c>&lt;timestamp&gt;.data</c> holds the content,
/// <c>&lt;timestamp&gt;.ts</c> marks a deletion, <c>&lt;timestamp&gt;.meta</c> a later metadata update.
/// The newest timestamp wins; writers never check-and-set, they write and then drop what is older.
/// </summary>
public interface IDiskFile
{
    /// <summary>The current state (newest .data or .ts, with any newer .meta applied).</summary>
    DiskFileState Read();

    /// <summary>Opens the content of <paramref name="state"/> for reading; throws <see cref="FileNotFoundException"/> if a newer write removed it meanwhile.</summary>
    Stream OpenData(DiskFileState state);

    /// <summary>Starts writing new content into a temporary file; nothing is visible until <see cref="IDiskFileWriter.Commit"/>.</summary>
    IDiskFileWriter CreateWriter();

    /// <summary>Records a deletion at <paramref name="timestamp"/> (normalised).</summary>
    void WriteTombstone(string timestamp);

    /// <summary>Records a metadata update (.meta) at <paramref name="timestamp"/>; <paramref name="metadata"/> replaces the user metadata.</summary>
    void WriteMetadata(string timestamp, IReadOnlyDictionary<string, string> metadata);
}
