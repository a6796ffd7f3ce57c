using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Network;

/// <summary>Reads <c>--network_manager</c>: nova's class names, with or without <c>nova.network.manager.</c>.</summary>
public static class NetworkManagers
{
    public const string FlatDhcp = "FlatDHCPManager";

    /// <summary>nova's FlatManager: the operator's bridge, no DHCP; guests learn their address from network_data.json.</summary>
    public const string Flat = "FlatManager";

    private const string NovaPrefix = "nova.network.manager.";

    /// <summary>Returns <see cref="FlatDhcp"/> or <see cref="Flat"/>, or throws <see cref="FlagException"/> saying why the named manager cannot run.</summary>
    public static string Require(string value)
    {
        var name = value.StartsWith(NovaPrefix, StringComparison.Ordinal) ? value[NovaPrefix.Length..] : value;
        return name switch
        {
            FlatDhcp => FlatDhcp,
            Flat => Flat,
            "VlanManager" => throw FlagError.Of(
                $"--network_manager={value}: {name} comes with the networking issue; this build of cloudd has FlatDHCPManager and FlatManager " +
                $"(--network_manager={NovaPrefix}{FlatDhcp})"),
            _ => throw FlagError.Of($"--network_manager={value}: use {NovaPrefix}{FlatDhcp} or {NovaPrefix}{Flat} (VlanManager comes later)"),
        };
    }
}
