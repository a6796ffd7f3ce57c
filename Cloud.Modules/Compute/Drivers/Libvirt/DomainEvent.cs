namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>libvirt's <c>DomainEvent(o domain, i event, i detail)</c> signal, with the domain's UUID taken from its object path.</summary>
/// <param name="Uuid">The domain's UUID (the instance's).</param>
/// <param name="Event">virDomainEventType: 0 defined, 1 undefined, 2 started, 3 suspended, 4 resumed, 5 stopped, 6 shutdown, 7 pmsuspended, 8 crashed.</param>
/// <param name="Detail">The event type's detail (for stopped: 0 shutdown, 1 destroyed, 2 crashed, 3 migrated, 4 saved, 5 failed).</param>
public sealed record DomainEvent(string Uuid, int Event, int Detail);
