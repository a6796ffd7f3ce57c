using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Glance.Stores;

/// <summary>Chooses the image store named by <c>--default_store</c>.</summary>
public static class ImageStores
{
    public static IReadOnlyList<string> Known { get; } = ["file"];

    /// <exception cref="FlagException">The flag names no store cloudd has.</exception>
    public static IImageStore FromFlags(GlanceFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return flags.DefaultStore.Trim().ToLowerInvariant() switch
        {
            "file" or "filesystem" => new FileImageStore(flags.FilesystemStoreDatadir),
            // NOTE(glance): the swift store (swift_store_* flags) is added here as one more case, and to Known.
            _ => throw new FlagException($"--default_store={flags.DefaultStore}: unknown image store; use one of {string.Join(", ", Known)}"),
        };
    }
}
