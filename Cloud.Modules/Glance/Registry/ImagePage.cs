namespace Cloud.Modules.Glance.Registry;

/// <summary>One page of images and the marker of the next page (null on the last page).</summary>
public sealed record ImagePage(IReadOnlyList<Image> Images, string? NextMarker);
