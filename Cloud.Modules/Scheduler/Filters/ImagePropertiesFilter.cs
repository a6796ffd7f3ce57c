namespace Cloud.Modules.Scheduler.Filters;

/// <summary>
/// Passes hosts whose hypervisor matches the image's <c>hypervisor_type</c> property. Passes every host when the
/// image's properties are unknown or name no hypervisor.
/// </summary>
public sealed class ImagePropertiesFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) =>
        spec.ImageProperties is null
        || !spec.ImageProperties.TryGetValue("hypervisor_type", out var wanted)
        || string.IsNullOrEmpty(wanted)
        || string.Equals(wanted, host.HypervisorType, StringComparison.OrdinalIgnoreCase);
}
