namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// Where image bytes live (glance_store's driver): the file store or a Swift container. A store only moves
/// bytes; the registry owns status, size and checksums. Every implementation passes
/// <c>ImageStoreContractTests</c>.
/// </summary>
public interface IImageStore
{
    /// <summary>Location scheme this store writes and reads: <c>file</c> or <c>swift</c>.</summary>
    string Scheme { get; }

    /// <summary>
    /// Streams <paramref name="data"/> into the store under <paramref name="imageId"/> without holding it in
    /// memory. All or nothing: when the stream fails or <paramref name="ct"/> fires, nothing of the image
    /// remains in the store and the exception propagates. Existing data of the same id is an
    /// <see cref="Kernel.CloudException"/> of kind Conflict.
    /// </summary>
    Task<StoredImage> AddAsync(string imageId, Stream data, CancellationToken ct);

    /// <summary>
    /// Opens the data at <paramref name="location"/> (as returned by <see cref="AddAsync"/>) from byte
    /// <paramref name="offset"/>, for <paramref name="length"/> bytes or to the end. Missing data is a
    /// <see cref="Kernel.CloudException"/> of kind NotFound.
    /// </summary>
    Task<Stream> OpenAsync(string location, long offset, long? length, CancellationToken ct);

    /// <summary>Removes the data at <paramref name="location"/>; removing what is gone already succeeds.</summary>
    Task DeleteAsync(string location, CancellationToken ct);
}
