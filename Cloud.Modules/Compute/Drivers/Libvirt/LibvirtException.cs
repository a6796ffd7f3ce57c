namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// libvirt refused a call (D-Bus error <c>org.libvirt.Error</c>), or libvirt-dbus/the system bus is unreachable.
/// The message is libvirt's own, so it can go into the instance's fault as it is.
/// </summary>
public sealed class LibvirtException(string message, bool unreachable = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The system bus, libvirt-dbus or libvirtd could not be reached (as opposed to libvirt refusing the call).</summary>
    public bool Unreachable { get; } = unreachable;

    /// <summary>libvirt's "Domain not found" (VIR_ERR_NO_DOMAIN): the domain is not (or no longer) defined.</summary>
    public bool NoDomain => Message.StartsWith("Domain not found", StringComparison.Ordinal);
}
