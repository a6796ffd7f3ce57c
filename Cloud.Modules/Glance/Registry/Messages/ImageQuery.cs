namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// A page of the image list as <c>GET /v2/images</c> asks for it. Null filters do not filter; <see cref="Visibility"/>
/// <c>all</c> includes community images, which a plain list leaves out; <see cref="MemberStatus"/> (default accepted,
/// or <c>all</c>) chooses which images shared with the caller appear.
/// </summary>
public sealed record ImageQuery
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 1000;

    public string? Name { get; init; }

    public string? Status { get; init; }

    public string? Visibility { get; init; }

    public string? Owner { get; init; }

    public string? DiskFormat { get; init; }

    public string? ContainerFormat { get; init; }

    public long? SizeMin { get; init; }

    public long? SizeMax { get; init; }

    public bool? Protected { get; init; }

    /// <summary>Exact size in bytes (glance filters on any image column given by name).</summary>
    public long? Size { get; init; }

    public string? Id { get; init; }

    public string? Checksum { get; init; }

    public string? OsHashValue { get; init; }

    /// <summary>The v2 list's <c>os_hidden</c>: false (its default) leaves hidden images out, true lists only them; null: no filter.</summary>
    public bool? OsHidden { get; init; }

    /// <summary>Leave out killed images, as glance v2 lists do (an upload that failed).</summary>
    public bool ExcludeKilled { get; init; }

    /// <summary>The v1 API's <c>is_public</c>: only public images (true) or only the others (false).</summary>
    public bool? Public { get; init; }

    /// <summary>Images carrying every one of these tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Images whose free-form properties have these values.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public string MemberStatus { get; init; } = Registry.MemberStatus.Accepted;

    /// <summary>Sort keys in order; the id always breaks ties. Empty: newest first.</summary>
    public IReadOnlyList<ImageSortKey> Sort { get; init; } = [];

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The id of the last image of the previous page.</summary>
    public string? Marker { get; init; }
}
