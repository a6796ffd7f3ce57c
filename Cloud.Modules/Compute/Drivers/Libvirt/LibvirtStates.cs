namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>libvirt's domain states and lifecycle events in nova's power states (nova's LIBVIRT_POWER_STATE).</summary>
public static class LibvirtStates
{
    /// <summary>
    /// virDomainState (0 nostate, 1 running, 2 blocked, 3 paused, 4 shutdown in progress, 5 shutoff, 6 crashed,
    /// 7 pmsuspended) and its reason: a domain shut off because it crashed (reason 3; on_crash=destroy) is crashed.
    /// </summary>
    public static PowerState FromDomainState(int state, int reason) => state switch
    {
        1 or 2 => PowerState.Running,
        3 => PowerState.Paused,
        5 when reason == 3 => PowerState.Crashed,
        4 or 5 => PowerState.Shutdown,
        6 => PowerState.Crashed,
        7 => PowerState.Suspended,
        _ => PowerState.NoState,
    };

    /// <summary>
    /// The power state a lifecycle event leaves the domain in, or null for events that do not change it
    /// (defined, undefined, and "shutdown", which a "stopped" follows).
    /// </summary>
    public static PowerState? FromEvent(int type, int detail) => type switch
    {
        2 or 4 => PowerState.Running,
        3 => PowerState.Paused,
        5 => detail is 2 or 5 ? PowerState.Crashed : PowerState.Shutdown,
        7 => PowerState.Suspended,
        8 => PowerState.Crashed,
        _ => null,
    };
}
