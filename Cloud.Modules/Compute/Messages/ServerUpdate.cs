namespace Cloud.Modules.Compute;

/// <summary>What a server update changes; a null field keeps its value (the description only when <see cref="SetDescription"/>).</summary>
public sealed record ServerUpdate
{
    public string? Name { get; init; }

    /// <summary>True when the request carried a description (null then clears it, 2.19).</summary>
    public bool SetDescription { get; init; }

    public string? Description { get; init; }

    public string? AccessIpV4 { get; init; }

    public string? AccessIpV6 { get; init; }
}
