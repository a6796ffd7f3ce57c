namespace Cloud.Modules.Swift.Storage;

/// <summary>One query of a listing: names from <see cref="Lower"/> (inclusive) below <see cref="Upper"/> (exclusive, null for none).</summary>
internal sealed record ContainerListingWindow(string Lower, string? Upper, bool Reverse, int Limit);
