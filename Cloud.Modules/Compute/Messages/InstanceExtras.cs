namespace Cloud.Modules.Compute;

/// <summary>What nova keeps beside an instance row that the Compute API shows (a row of instance_extras).</summary>
public sealed class InstanceExtras
{
    public string InstanceUuid { get; init; } = "";

    /// <summary>The guest's hostname when one was set (2.90), else null (the display name sanitized).</summary>
    public string? Hostname { get; init; }

    /// <summary>Trusted image certificate ids as a JSON list (2.63), null when none.</summary>
    public string? TrustedCertificates { get; init; }

    /// <summary>OS-DCF:diskConfig: AUTO or MANUAL.</summary>
    public string DiskConfig { get; init; } = "MANUAL";
}
