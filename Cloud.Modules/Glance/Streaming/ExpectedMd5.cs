namespace Cloud.Modules.Glance.Streaming;

/// <summary>
/// The check at the end of image data read against its registered MD5 (a cached copy, a store read through the cache):
/// one place for the comparison, the clean-up and the error a reader gets, so every checked read fails the same way.
/// </summary>
public static class ExpectedMd5
{
    /// <summary>
    /// Does nothing when <paramref name="expected"/> is null or equals <paramref name="actual"/> (hex, any case); else
    /// runs <paramref name="onMismatch"/> (drop the bad copy) and throws an <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task CheckAsync(string actual, string? expected, Func<Task> onMismatch)
    {
        ArgumentNullException.ThrowIfNull(onMismatch);
        if (expected is null || string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        await onMismatch().ConfigureAwait(false);
        throw new InvalidDataException($"image data has MD5 {actual}, but {expected} was expected");
    }
}
