namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// One image of the registry (a row of <c>images</c> with its properties and tags). <see cref="Location"/> is the
/// store URI of the data; APIs never show it to users.
/// </summary>
public sealed record Image
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    /// <summary>One of <see cref="ImageStatus"/>.</summary>
    public string Status { get; init; } = ImageStatus.Queued;

    /// <summary>One of <see cref="ImageVisibility"/>.</summary>
    public string Visibility { get; init; } = ImageVisibility.Shared;

    /// <summary>The owning project's id.</summary>
    public string? Owner { get; init; }

    public long? Size { get; init; }

    public long? VirtualSize { get; init; }

    /// <summary>MD5 of the data, hex.</summary>
    public string? Checksum { get; init; }

    /// <summary><c>sha512</c> once data is uploaded.</summary>
    public string? OsHashAlgo { get; init; }

    /// <summary>SHA-512 of the data, hex.</summary>
    public string? OsHashValue { get; init; }

    public string? DiskFormat { get; init; }

    public string? ContainerFormat { get; init; }

    public int MinDisk { get; init; }

    public int MinRam { get; init; }

    public bool Protected { get; init; }

    /// <summary>Left out of image lists unless asked for with <c>os_hidden=true</c> (glance's os_hidden).</summary>
    public bool OsHidden { get; init; }

    /// <summary>Where the store keeps the data (<c>file:///…</c>, <c>swift+http://…</c>); null before upload.</summary>
    public string? Location { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? DeletedAt { get; init; }

    public bool Deleted { get; init; }

    /// <summary>Free-form properties (kernel_id, ramdisk_id, architecture, ...), by name.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags, sorted.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
