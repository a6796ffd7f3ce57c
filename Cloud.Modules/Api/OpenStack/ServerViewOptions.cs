namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Which sections of nova's detailed server view an answer carries (the <c>show_*</c> arguments of nova's
/// <c>ViewBuilder.show</c>). <c>GET /servers/{id}</c> and <c>/servers/detail</c> carry all of them; <c>PUT /servers/{id}</c>
/// and rebuild carry only the core keys below 2.75 and everything from 2.75. The version blocks (locked, description,
/// tags, ...) follow the microversion alone, whatever these say.
/// </summary>
public sealed record ServerViewOptions
{
    /// <summary><c>OS-EXT-IPS:type</c> and <c>OS-EXT-IPS-MAC:mac_addr</c> on each address.</summary>
    public bool ExtendedAddresses { get; init; } = true;

    /// <summary><c>OS-EXT-AZ:availability_zone</c>.</summary>
    public bool AvailabilityZone { get; init; } = true;

    public bool ConfigDrive { get; init; } = true;

    public bool KeyName { get; init; } = true;

    /// <summary><c>OS-SRV-USG:launched_at</c> and <c>terminated_at</c>.</summary>
    public bool Usage { get; init; } = true;

    public bool SecurityGroups { get; init; } = true;

    /// <summary><c>OS-EXT-STS:vm_state</c>, <c>task_state</c>, <c>power_state</c>.</summary>
    public bool ExtendedStatus { get; init; } = true;

    /// <summary><c>os-extended-volumes:volumes_attached</c>.</summary>
    public bool ExtendedVolumes { get; init; } = true;

    /// <summary><c>OS-EXT-SRV-ATTR:*</c> when the caller is an admin (nova's policy default).</summary>
    public bool AdminAttributes { get; init; } = true;

    /// <summary><c>OS-EXT-SRV-ATTR:user_data</c> among the admin attributes (2.3); rebuild shows <c>user_data</c> itself instead.</summary>
    public bool AdminUserData { get; init; } = true;

    /// <summary><c>host_status</c> (2.16) when the caller is an admin.</summary>
    public bool HostStatus { get; init; } = true;

    /// <summary><c>server_groups</c> (2.71): shown by show, update and rebuild, not by the detail list.</summary>
    public bool ServerGroups { get; init; }

    /// <summary><c>GET /servers/detail</c>: every section but server groups.</summary>
    public static ServerViewOptions List { get; } = new();

    /// <summary><c>GET /servers/{id}</c>.</summary>
    public static ServerViewOptions Show(Microversion version) => new() { ServerGroups = version.AtLeast(71) };

    /// <summary><c>PUT /servers/{id}</c>: the core keys below 2.75, everything from 2.75.</summary>
    public static ServerViewOptions Update(Microversion version)
    {
        var all = version.AtLeast(75);
        return new()
        {
            ExtendedAddresses = all,
            AvailabilityZone = all,
            ConfigDrive = all,
            KeyName = all,
            Usage = all,
            SecurityGroups = all,
            ExtendedStatus = all,
            ExtendedVolumes = all,
            AdminAttributes = all,
            HostStatus = all,
            ServerGroups = version.AtLeast(71),
        };
    }

    /// <summary>
    /// The rebuild action's answer: as <see cref="Update"/>, with <c>key_name</c> from 2.54 and without the admin
    /// <c>OS-EXT-SRV-ATTR:user_data</c> (the action adds <c>user_data</c> from 2.57 and <c>adminPass</c> itself).
    /// </summary>
    public static ServerViewOptions Rebuild(Microversion version) =>
        Update(version) with { KeyName = version.AtLeast(54), AdminUserData = false };
}
