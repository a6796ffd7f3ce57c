using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Glance.Stores;

/// <summary>Builds the node's stores: the one <c>--default_store</c> names takes uploads, every store reads its own locations.</summary>
public static class ImageStores
{
    public static IReadOnlyList<string> Known { get; } = ["file", "swift"];

    /// <param name="flags">default_store and the file store's directory.</param>
    /// <param name="swift">The swift store's endpoint and credentials.</param>
    /// <param name="http">Client of the swift store; its Timeout should be infinite (segments take long).</param>
    /// <exception cref="FlagException">The flag names no store cloudd has, or the swift store's key is the sample's placeholder.</exception>
    public static ImageStoreSet FromFlags(GlanceFlags flags, GlanceSwiftStoreFlags swift, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(flags);
        flags.Validate();
        var file = new FileImageStore(flags.FilesystemStoreDatadir);
        // Constructing the swift store contacts nothing, so a file-store node without swift flags only fails when
        // it is asked for an image stored in swift.
        var swiftStore = new SwiftImageStore(swift, http);
        return flags.DefaultStore.Trim().ToLowerInvariant() switch
        {
            "file" or "filesystem" => new ImageStoreSet(file, swiftStore),
            _ when swift.SwiftStoreKey == Secrets.Placeholder =>
                throw FlagError.Of($"--swift_store_key is still the sample's {Secrets.Placeholder}: set the key of --swift_store_user={swift.SwiftStoreUser} (the same generated key as in --swift_tempauth_users)"),
            _ => new ImageStoreSet(swiftStore, file),
        };
    }
}
