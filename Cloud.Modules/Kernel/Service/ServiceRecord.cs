namespace Cloud.Modules.Kernel.Service;

/// <summary>A row of the services table: one role running on one host.</summary>
/// <remarks>
/// A class with init properties rather than a positional record: SQLite reports each value's storage type
/// (integers for booleans, text for dates), and Dapper converts into properties but not constructor arguments.
/// </remarks>
public sealed class ServiceRecord
{
    public long Id { get; init; }

    public string Binary { get; init; } = "";

    public string Host { get; init; } = "";

    public string Topic { get; init; } = "";

    public string AvailabilityZone { get; init; } = "";

    public bool Disabled { get; init; }

    /// <summary>Why an operator disabled the service (os-services); null when none was given.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>An operator declared the service down (os-services force-down): it counts as down whatever its heartbeat.</summary>
    public bool ForcedDown { get; init; }

    /// <summary>The service stopped cleanly and has not heartbeated since: down at once.</summary>
    public bool Stopped { get; init; }

    public long ReportCount { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}
