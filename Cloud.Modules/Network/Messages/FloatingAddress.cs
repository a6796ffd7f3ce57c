namespace Cloud.Modules.Network;

/// <summary>A row of floating_ips as the APIs and <c>manage floating list</c> show it.</summary>
public sealed class FloatingAddress
{
    /// <summary>nova's integer id (os-floating-ips/{id}).</summary>
    public long Id { get; init; }

    public string Address { get; init; } = "";

    /// <summary>The pool it belongs to (default <c>--default_floating_pool</c>, nova).</summary>
    public string Pool { get; init; } = "";

    /// <summary>The host interface the address is bound to (default <c>--public_interface</c>).</summary>
    public string Interface { get; init; } = "";

    /// <summary>The project it is allocated to; null while free.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The fixed IP it is associated with; null while not associated.</summary>
    public string? FixedAddress { get; init; }

    /// <summary>The instance holding <see cref="FixedAddress"/>.</summary>
    public string? InstanceUuid { get; init; }

    /// <summary>The network host carrying the address and its NAT rules while associated.</summary>
    public string? Host { get; init; }

    /// <summary>Given by <c>--auto_assign_floating_ip</c>: outside the quota, released with its instance.</summary>
    public bool AutoAssigned { get; init; }
}
