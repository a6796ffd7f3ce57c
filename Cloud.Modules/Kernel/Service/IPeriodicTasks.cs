namespace Cloud.Modules.Kernel.Service;

/// <summary>A manager with work to do every <c>periodic_interval</c> seconds (nova's periodic tasks).</summary>
public interface IPeriodicTasks
{
    Task RunPeriodicTasksAsync(CancellationToken cancellationToken);
}
