namespace Cloud.Modules.Network;

/// <summary>A row of fixed_ips (see the migration's comment for what each state means).</summary>
public sealed class FixedIp
{
    public string Address { get; init; } = "";

    public string NetworkId { get; init; } = "";

    public long AddressIndex { get; init; }

    public string? InstanceUuid { get; init; }

    public string? MacAddress { get; init; }

    public string? Hostname { get; init; }

    public bool Reserved { get; init; }

    public bool Allocated { get; init; }

    public bool Leased { get; init; }
}
