namespace Cloud.Modules.Glance.Registry;

/// <summary>Who may see an image: everyone (public, community), its owner (private), or its accepted members too (shared).</summary>
public static class ImageVisibility
{
    public const string Public = "public";
    public const string Private = "private";
    public const string Shared = "shared";
    public const string Community = "community";

    public static IReadOnlyList<string> All { get; } = [Public, Private, Shared, Community];
}
