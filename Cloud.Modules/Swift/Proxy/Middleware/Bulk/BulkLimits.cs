namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>bulk's limits, at swift's defaults (its filter's max_containers_per_extraction etc.).</summary>
public static class BulkLimits
{
    public const int MaxContainersPerExtraction = 10000;

    public const int MaxFailedExtractions = 1000;

    public const int MaxDeletesPerRequest = 10000;

    public const int MaxFailedDeletes = 1000;

    /// <summary>The longest container/object path a delete line may name (swift's max_path_length).</summary>
    public const int MaxPathLength = NameLimitsMiddleware.MaxObjectNameBytes + NameLimitsMiddleware.MaxContainerNameBytes + 2;
}
