namespace Cloud.Modules.Glance.Registry;

/// <summary>Glance's image statuses and the transitions the registry allows between them.</summary>
public static class ImageStatus
{
    public const string Queued = "queued";
    public const string Saving = "saving";
    public const string Active = "active";
    public const string Killed = "killed";
    public const string Deleted = "deleted";
    public const string PendingDelete = "pending_delete";
    public const string Deactivated = "deactivated";

    /// <summary>Data staged for an interoperable import (<c>PUT /v2/images/{id}/stage</c>), not imported yet.</summary>
    public const string Uploading = "uploading";

    /// <summary>An import task is moving the data into the store.</summary>
    public const string Importing = "importing";

    public static IReadOnlyList<string> All { get; } = [Queued, Saving, Active, Killed, Deleted, PendingDelete, Deactivated, Uploading, Importing];

    private static readonly Dictionary<string, string[]> Transitions = new(StringComparer.Ordinal)
    {
        [Queued] = [Saving, Uploading, Deleted],
        [Uploading] = [Importing, Queued, Deleted],
        [Importing] = [Active, Queued, Deleted],
        [Saving] = [Active, Killed, Deleted],
        [Active] = [Deactivated, PendingDelete, Deleted],
        [Deactivated] = [Active, PendingDelete, Deleted],
        [Killed] = [Deleted],
        [PendingDelete] = [Deleted],
        [Deleted] = [],
    };

    /// <summary>Whether an image may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(string from, string to) => Transitions.TryGetValue(from, out var next) && next.Contains(to);
}
