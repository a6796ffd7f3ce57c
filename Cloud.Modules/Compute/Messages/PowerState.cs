namespace Cloud.Modules.Compute;

/// <summary>The hypervisor's view of a domain, with nova's numeric values (stored in instances.power_state).</summary>
public enum PowerState
{
    NoState = 0,
    Running = 1,
    Paused = 3,
    Shutdown = 4,
    Crashed = 6,
    Suspended = 7,
}
