namespace Cloud.Modules.Glance.Cache;

/// <summary>A file of the cache outside the index: an incomplete download, an invalid image or a queued id.</summary>
public sealed record CacheEntryFile(string ImageId, long Size, DateTimeOffset LastModified);
