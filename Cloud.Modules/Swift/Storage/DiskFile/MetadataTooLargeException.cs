namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// The filesystem has no room for the metadata xattr (ext4 keeps all of a file's xattrs in one 4 KiB block,
/// so Swift's own limits can exceed it; XFS with large inodes, Swift's recommendation, does not). A client
/// can fix it by sending less metadata, so the server answers 400, not 500.
/// </summary>
public sealed class MetadataTooLargeException(string message) : IOException(message);
