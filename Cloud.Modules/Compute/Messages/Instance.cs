namespace Cloud.Modules.Compute;

/// <summary>
/// A row of the instances table: one virtual machine from request to termination. The EC2 API shows
/// <see cref="Id"/> as <see cref="Ec2Id"/> (<c>i-%08x</c>), the OpenStack API shows <see cref="Uuid"/>.
/// </summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class Instance
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string UserId { get; init; } = "";

    public string ImageRef { get; init; } = "";

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    /// <summary>The flavor asked for; its resources are copied below so a deleted flavor leaves the instance whole.</summary>
    public long InstanceTypeId { get; init; }

    public long MemoryMb { get; init; }

    public long Vcpus { get; init; }

    public long RootGb { get; init; }

    public string? KeyName { get; init; }

    /// <summary>The public key injected into the guest (OpenSSH format).</summary>
    public string? KeyData { get; init; }

    /// <summary>User data, base64 as the APIs receive it.</summary>
    public string? UserData { get; init; }

    /// <summary><c>r-xxxxxxxx</c>, shared by the instances of one request.</summary>
    public string ReservationId { get; init; } = "";

    /// <summary>The instance's position in its request (0-based).</summary>
    public long LaunchIndex { get; init; }

    /// <summary>The compute host the scheduler placed it on; null until placed.</summary>
    public string? Host { get; init; }

    public string? AvailabilityZone { get; init; }

    /// <summary>One of <see cref="VmStates"/>.</summary>
    public string VmState { get; init; } = VmStates.Building;

    /// <summary>One of <see cref="TaskStates"/>, or null when no task runs.</summary>
    public string? TaskState { get; init; }

    public PowerState PowerState { get; init; }

    public DateTime? LaunchedAt { get; init; }

    public DateTime? TerminatedAt { get; init; }

    public bool Deleted { get; init; }

    /// <summary>HTTP-like code of the last fault (500 for a failure, 400 for a refused request); null without fault.</summary>
    public long? FaultCode { get; init; }

    public string? FaultMessage { get; init; }

    /// <summary>The server's description (microversion 2.19), null when none was given.</summary>
    public string? Description { get; init; }

    /// <summary>The IPv4 address the user says reaches the server (accessIPv4); cloudd stores it and never routes it.</summary>
    public string? AccessIpV4 { get; init; }

    public string? AccessIpV6 { get; init; }

    /// <summary>Asked with networks "none" (2.37): the instance gets no NIC and no fixed IP.</summary>
    public bool NoNetwork { get; init; }

    /// <summary>Locked: no action but unlock (and show) until unlocked; admins may act on a locked server.</summary>
    public bool Locked { get; init; }

    /// <summary>Who locked it: <c>owner</c> or <c>admin</c> (an owner cannot unlock an admin's lock); null when unlocked.</summary>
    public string? LockedBy { get; init; }

    /// <summary>Why it was locked (2.73), null when no reason was given.</summary>
    public string? LockedReason { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>The EC2 id, <c>i-0000002a</c>.</summary>
    public string Ec2Id => Ec2Ids.Instance(Id);

    /// <summary>The libvirt domain name of the seed, <c>instance-0000002a</c>.</summary>
    public string Name => NameOf(Id);

    /// <summary>The libvirt domain name of the instance with database id <paramref name="id"/>.</summary>
    public static string NameOf(long id) => $"instance-{id:x8}";

    /// <summary>The database id a domain name of <see cref="NameOf"/>'s template stands for; null for any other name (a domain that is not cloudd's).</summary>
    public static long? IdOfName(string name) =>
        name.Length == 17 && name.StartsWith("instance-", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(9), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && NameOf(id) == name
            ? id : null;
}
