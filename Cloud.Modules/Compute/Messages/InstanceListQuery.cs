namespace Cloud.Modules.Compute;

/// <summary>
/// Which instances a list returns. Deleted instances stay in the table for ever, so a list shows them only when
/// asked and only from a point in time: nova's <c>changes-since</c> and admin-only <c>deleted=true</c>, and EC2's
/// terminated instances of the last hour. Default: the live instances of the caller's project.
/// </summary>
public sealed record InstanceListQuery
{
    /// <summary>An admin sees every project's instances (nova's all_tenants). Ignored for others.</summary>
    public bool AllProjects { get; init; }

    /// <summary>Live (not deleted) instances are listed. Default: true.</summary>
    public bool Live { get; init; } = true;

    /// <summary>Deleted instances changed at or after this time are listed too. Default: none.</summary>
    public DateTime? DeletedSince { get; init; }

    /// <summary>Only instances changed at or after this time (nova's changes-since). Default: any.</summary>
    public DateTime? ChangedSince { get; init; }

    /// <summary>Only instances changed at or before this time (nova's changes-before, 2.66). Default: any.</summary>
    public DateTime? ChangedBefore { get; init; }

    /// <summary>Only instances placed on this host (nova's admin-only host filter). Default: any.</summary>
    public string? Host { get; init; }

    /// <summary>Only instances of this image (glance id, compared case-insensitively). Default: any.</summary>
    public string? ImageRef { get; init; }

    /// <summary>Only instances of these flavor rows (none matches an empty list). Default: any.</summary>
    public IReadOnlyList<long>? InstanceTypeIds { get; init; }

    /// <summary>Only locked (true) or unlocked (false) instances (nova's locked filter, 2.73). Default: both.</summary>
    public bool? Locked { get; init; }

    /// <summary>The order (nova's sort keys, e.g. <c>created_at</c> descending); id breaks ties. Keys the table has no column for are ignored. Default: by id.</summary>
    public IReadOnlyList<InstanceSortKey> Sort { get; init; } = [];

    /// <summary>The list starts after this instance (uuid), which must be one the query lists (else nova's 400 "marker [X] not found").</summary>
    public string? Marker { get; init; }

    /// <summary>At most this many instances. Default: all.</summary>
    public int? Limit { get; init; }

    /// <summary>The live instances of the caller's project (all projects for an admin with <paramref name="allProjects"/>).</summary>
    public static InstanceListQuery LiveOnly(bool allProjects) => new() { AllProjects = allProjects };
}
