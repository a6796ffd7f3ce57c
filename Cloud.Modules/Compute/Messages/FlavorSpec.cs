namespace Cloud.Modules.Compute;

/// <summary>
/// What <c>POST /flavors</c> asks for, validated by the API: resources (MiB, GiB; swap in MiB), and the API id
/// (<c>FlavorId</c>), null for a new UUID as nova gives for <c>id: null</c>.
/// </summary>
public sealed record FlavorSpec(
    string Name, long MemoryMb, long Vcpus, long RootGb, string? FlavorId,
    long Swap = 0, long EphemeralGb = 0, double RxtxFactor = 1, bool IsPublic = true, string? Description = null);
