namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// A manager that adds its own state to each heartbeat (compute: the host's capacity for the scheduler).
/// Called after every report of the services row, the first one before the service consumes its topics.
/// </summary>
public interface IReportsState
{
    Task ReportStateAsync(CancellationToken cancellationToken);
}
