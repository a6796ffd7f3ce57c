using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Network;

/// <summary>Reads <c>--network_manager</c>: nova's class names, with or without <c>nova.network.manager.</c>.</summary>
public static class NetworkManagers
{
    public const string FlatDhcp = "FlatDHCPManager";

    /// <summary>nova's FlatManager: the operator's bridge, no DHCP; guests learn their address from network_data.json.</summary>
    public const string Flat = "FlatManager";

    /// <summary>nova's VlanManager: a network, bridge and dnsmasq per project, joined across hosts by 802.1q or VXLAN.</summary>
    public const string Vlan = "VlanManager";

    private const string NovaPrefix = "nova.network.manager.";

    /// <summary>Returns <see cref="FlatDhcp"/>, <see cref="Flat"/> or <see cref="Vlan"/>, or throws <see cref="FlagException"/> naming the choices.</summary>
    public static string Require(string value)
    {
        var name = value.StartsWith(NovaPrefix, StringComparison.Ordinal) ? value[NovaPrefix.Length..] : value;
        return name switch
        {
            FlatDhcp => FlatDhcp,
            Flat => Flat,
            Vlan => Vlan,
            _ => throw FlagError.Of($"--network_manager={value}: use {NovaPrefix}{Choices}"),
        };
    }

    private static string Choices => $"{FlatDhcp}, {NovaPrefix}{Flat} or {NovaPrefix}{Vlan}";
}
