namespace Cloud.Modules.Compute.Db;

/// <summary>A live member of a server group and the host it was placed on (null until placed).</summary>
public sealed class ServerGroupMember
{
    public long GroupId { get; init; }

    public string InstanceUuid { get; init; } = "";

    public string? Host { get; init; }
}
