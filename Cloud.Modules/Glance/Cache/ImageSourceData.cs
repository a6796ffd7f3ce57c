namespace Cloud.Modules.Glance.Cache;

/// <summary>An image's data and the MD5 (hex) it must have; the receiver disposes <see cref="Data"/>.</summary>
public sealed record ImageSourceData(string? Checksum, Stream Data);
