namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The stores of a node as one: uploads go to the default store (<c>--default_store</c>), reads and deletes to the
/// store the location's scheme names (<c>file://</c>, <c>swift+http(s)://</c>), so images stored before the default
/// changed stay readable and deletable.
/// </summary>
public sealed class ImageStoreSet : IImageStore
{
    private readonly IReadOnlyList<IImageStore> _stores;

    /// <param name="defaultStore">Where uploads go.</param>
    /// <param name="others">The stores that only read and delete what they hold; one per scheme.</param>
    public ImageStoreSet(IImageStore defaultStore, params IImageStore[] others)
    {
        ArgumentNullException.ThrowIfNull(defaultStore);
        Default = defaultStore;
        _stores = [defaultStore, .. others.Where(s => s.Scheme != defaultStore.Scheme)];
    }

    /// <summary>The store uploads go to.</summary>
    public IImageStore Default { get; }

    public string Scheme => Default.Scheme;

    public Task<StoredImage> AddAsync(string imageId, Stream data, CancellationToken ct) => Default.AddAsync(imageId, data, ct);

    public Task<Stream> OpenAsync(string location, long offset, long? length, CancellationToken ct) => For(location).OpenAsync(location, offset, length, ct);

    public Task DeleteAsync(string location, CancellationToken ct) => For(location).DeleteAsync(location, ct);

    /// <summary>The store holding <paramref name="location"/>; a scheme no store reads is the server's problem (503).</summary>
    public IImageStore For(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var separator = location.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? "" : location[..separator].ToLowerInvariant();
        // swift, swift+http, swift+https, swift+config are all the swift store's, as in glance_store.
        var family = scheme.Split('+')[0];
        return _stores.FirstOrDefault(s => s.Scheme == family)
            ?? throw new ImageStoreUnavailableException($"No configured image store reads locations of scheme '{scheme}' (stores: {string.Join(", ", _stores.Select(s => s.Scheme))}).");
    }
}
