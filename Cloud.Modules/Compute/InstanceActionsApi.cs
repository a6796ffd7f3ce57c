using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute;

/// <summary>
/// What was done to an instance, for os-instance-actions (nova's InstanceAction API). The API side records an action for
/// the caller's request with <see cref="StartAsync"/> (or lets <see cref="InstanceTasks.BeginAsync"/> do it); the service
/// that does the work wraps each step in <see cref="RunEventAsync"/> under the same request context (it travels with
/// the bus message), which finds the action by instance and request id and records the event's start, finish and result.
/// </summary>
public sealed partial class InstanceActionsApi(InstanceStore instances, InstanceActionStore store, ILogger<InstanceActionsApi> log)
{
    /// <summary>Records that the caller's request started <paramref name="action"/> (nova's names: <c>pause</c>, <c>resize</c>, <c>createImage</c>, ...).</summary>
    public Task StartAsync(RequestContext context, string instanceUuid, string action, CancellationToken cancellationToken) =>
        instances.AddActionAsync(context, instanceUuid, action, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> as event <paramref name="eventName"/> (nova's <c>compute_&lt;method&gt;</c>, e.g.
    /// <c>compute_pause_instance</c>) of the action <paramref name="context"/>'s request started on the instance, on
    /// <paramref name="host"/>: the event is <c>Success</c> when it returns, <c>Error</c> with the failure's message as
    /// details (and the action's message <c>Error</c>) when it throws, and the exception goes on to the caller. Without
    /// such an action (a periodic task, an older message) the work runs unrecorded.
    /// </summary>
    public async Task RunEventAsync(RequestContext context, string instanceUuid, string eventName, string host, Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await RunEventAsync(context, instanceUuid, eventName, host, async () =>
        {
            await work().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="RunEventAsync(RequestContext, string, string, string, Func{Task}, CancellationToken)"/>
    public async Task<T> RunEventAsync<T>(RequestContext context, string instanceUuid, string eventName, string host, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var action = await store.ByRequestAsync(instanceUuid, context.RequestId, cancellationToken).ConfigureAwait(false);
        if (action is null)
        {
            LogNoAction(instanceUuid, context.RequestId, eventName);
            return await work().ConfigureAwait(false);
        }
        await store.StartEventAsync(action.Id, eventName, host, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await work().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A cloud error says what went wrong in words a tenant may read; anything else is named by its type only (nova's exception_to_dict).
            var details = e is CloudException ? e.Message : e.GetType().Name;
            await store.FinishEventAsync(action.Id, eventName, $"{e.GetType().Name}: {e.Message}", details, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await store.FinishEventAsync(action.Id, eventName, null, null, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The instance's actions, newest first; <paramref name="changesSince"/>/<paramref name="changesBefore"/> bound their updated_at.</summary>
    public Task<IReadOnlyList<InstanceAction>> ListAsync(string instanceUuid, DateTime? changesSince, DateTime? changesBefore, CancellationToken cancellationToken) =>
        store.ListAsync(instanceUuid, changesSince, changesBefore, cancellationToken);

    /// <summary>The action a request started on the instance, or null.</summary>
    public Task<InstanceAction?> FindAsync(string instanceUuid, string requestId, CancellationToken cancellationToken) =>
        store.ByRequestAsync(instanceUuid, requestId, cancellationToken);

    /// <summary>The action's events in the order they started.</summary>
    public Task<IReadOnlyList<InstanceActionEvent>> EventsAsync(InstanceAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return store.EventsAsync(action.Id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "instance {Uuid} has no action for request {RequestId}; event {Event} is not recorded")]
    private partial void LogNoAction(string uuid, string requestId, string @event);
}
