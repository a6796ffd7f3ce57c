using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// The service catalog every token carries, built from the flags that say where each API is
/// (<c>keystone_url</c>, <c>osapi_compute_listen_port</c>, <c>osapi_volume_listen_port</c>, <c>cc_host</c>, <c>glance_api_servers</c>, <c>swift_url</c>, <c>ec2_url</c>).
/// </summary>
public sealed class ServiceCatalog(FlagValues flags)
{
    /// <summary>One service of the catalog; URLs may contain <c>{project_id}</c>.</summary>
    public sealed record Entry(string Type, string Name, string Url);

    public IReadOnlyList<Entry> Entries { get; } =
    [
        new("identity", "keystone", flags["keystone_url"]!),
        new("compute", "nova", $"http://{flags["cc_host"]}:{flags["osapi_compute_listen_port"]}/v2.1"),
        new("image", "glance", $"http://{FirstServer(flags["glance_api_servers"]!)}"),
        new("object-store", "swift", $"{flags["swift_url"]}{{project_id}}"),
        new("ec2", "ec2", flags["ec2_url"]!),
        // cinderclient looks for volumev3, openstacksdk for block-storage (then its aliases): both name the same API.
        new("volumev3", "cinderv3", $"http://{flags["cc_host"]}:{flags["osapi_volume_listen_port"]}/v3/{{project_id}}"),
        new("block-storage", "cinder", $"http://{flags["cc_host"]}:{flags["osapi_volume_listen_port"]}/v3/{{project_id}}"),
    ];

    public string Region { get; } = flags["region_name"]!;

    /// <summary>The catalog in Keystone v3's shape, for a token scoped to <paramref name="projectId"/> (or none).</summary>
    public IEnumerable<object> V3(string? projectId) => Entries
        .Where(e => projectId is not null || !e.Url.Contains("{project_id}", StringComparison.Ordinal))
        .Select(e => new
        {
            type = e.Type,
            name = e.Name,
            id = StableId(e.Type),
            endpoints = new[] { "public", "internal", "admin" }.Select(i => new
            {
                id = StableId($"{e.Type}-{i}"),
                @interface = i,
                region = Region,
                region_id = Region,
                url = e.Url.Replace("{project_id}", projectId, StringComparison.Ordinal),
            }),
        });

    private static string FirstServer(string servers) => servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "127.0.0.1:9292";

    // Ids only need to be stable across processes and restarts, so they derive from the name.
    private static string StableId(string name) =>
        Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
}
