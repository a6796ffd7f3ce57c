namespace Cloud.Modules.Volume;

/// <summary>Filters of a volume list (Cinder's query parameters; EC2's volume ids).</summary>
/// <param name="AllProjects">Admin only (Cinder's <c>all_tenants=1</c>): every project's volumes.</param>
/// <param name="Name">Exact display name.</param>
/// <param name="Status">Exact status.</param>
/// <param name="Ids">Only these ids (uuids, or integer ids for EC2); null = all.</param>
/// <param name="Limit">At most this many (after <paramref name="Marker"/>); null = all.</param>
/// <param name="Marker">Uuid of the last volume of the previous page.</param>
public sealed record VolumeListQuery(
    bool AllProjects = false,
    string? Name = null,
    string? Status = null,
    IReadOnlyCollection<string>? Ids = null,
    int? Limit = null,
    string? Marker = null);
