namespace Cloud.Modules.Compute;

/// <summary>
/// Which instances a list returns. Deleted instances stay in the table for ever, so a list shows them only when
/// asked and only from a point in time: nova's <c>changes-since</c> and admin-only <c>deleted=true</c>, and EC2's
/// terminated instances of the last hour. Default: the live instances of the caller's project.
/// </summary>
public sealed record InstanceListQuery
{
    /// <summary>An admin sees every project's instances (nova's all_tenants). Ignored for others.</summary>
    public bool AllProjects { get; init; }

    /// <summary>Live (not deleted) instances are listed. Default: true.</summary>
    public bool Live { get; init; } = true;

    /// <summary>Deleted instances changed at or after this time are listed too. Default: none.</summary>
    public DateTime? DeletedSince { get; init; }

    /// <summary>Only instances changed at or after this time (nova's changes-since). Default: any.</summary>
    public DateTime? ChangedSince { get; init; }

    /// <summary>The live instances of the caller's project (all projects for an admin with <paramref name="allProjects"/>).</summary>
    public static InstanceListQuery LiveOnly(bool allProjects) => new() { AllProjects = allProjects };
}
