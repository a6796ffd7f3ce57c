using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Compute.Db;

/// <summary>The instance actions' events and the reads of os-instance-actions.</summary>
public sealed class InstanceActionStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<IReadOnlyList<InstanceAction>> ListAsync(string uuid, DateTime? changesSince, DateTime? changesBefore, CancellationToken cancellationToken) =>
        db.QueryListAsync<InstanceAction>(InstanceActionQueries.List, new { Uuid = uuid, ChangesSince = changesSince, ChangesBefore = changesBefore }, cancellationToken);

    public Task<InstanceAction?> ByRequestAsync(string uuid, string requestId, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<InstanceAction>(InstanceActionQueries.ByRequest, new { Uuid = uuid, RequestId = requestId }, cancellationToken);

    public Task<IReadOnlyList<InstanceActionEvent>> EventsAsync(long actionId, CancellationToken cancellationToken) =>
        db.QueryListAsync<InstanceActionEvent>(InstanceActionQueries.Events, new { ActionId = actionId }, cancellationToken);

    public Task StartEventAsync(long actionId, string eventName, string host, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceActionQueries.InsertEvent, new { ActionId = actionId, Event = eventName, Host = host, Now }, cancellationToken);

    public async Task FinishEventAsync(long actionId, string eventName, string? traceback, string? details, CancellationToken cancellationToken)
    {
        var failed = details is not null;
        await db.ExecuteAsync(InstanceActionQueries.FinishEvent, new
        {
            ActionId = actionId, Event = eventName, Result = failed ? "Error" : "Success", Traceback = traceback, Details = details, Now,
        }, cancellationToken).ConfigureAwait(false);
        if (failed)
        {
            await db.ExecuteAsync(InstanceActionQueries.Failed, new { Id = actionId }, cancellationToken).ConfigureAwait(false);
        }
    }
}
