namespace Cloud.Modules.Glance.Registry;

/// <summary>Where a project stands on an image shared with it: it sees it in its lists only once accepted.</summary>
public static class MemberStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Pending, Accepted, Rejected];
}
