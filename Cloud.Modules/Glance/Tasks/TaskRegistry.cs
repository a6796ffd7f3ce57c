using Cloud.Modules.Glance.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Glance.Tasks;

/// <summary>
/// The image tasks in the database. A project sees its own tasks, admins every task; another project's task is
/// reported missing. A finished task is kept for <see cref="TimeToLive"/> (glance's task_time_to_live, 48 h).
/// </summary>
public sealed class TaskRegistry(IDbConnectionFactory db, TimeProvider clock)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(48);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Records a new pending task of the caller's project.</summary>
    public async Task<GlanceTask> CreateAsync(RequestContext context, string type, string input, string? imageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = Now;
        var task = new GlanceTask
        {
            Id = Guid.NewGuid().ToString(), Type = type, Owner = Policy.RequireScoped(context), Input = input, ImageId = imageId,
            RequestId = context.RequestId, UserId = context.UserId, CreatedAt = now, UpdatedAt = now,
        };
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(TaskQueries.Insert, task, cancellationToken)).ConfigureAwait(false);
        return task;
    }

    public async Task<GlanceTask> GetAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var task = await c.QuerySingleOrDefaultAsync<GlanceTask>(Cmd(TaskQueries.ById, new { Id = id }, cancellationToken)).ConfigureAwait(false);
        return task is not null && (context.IsAdmin || task.Owner == context.ProjectId) ? task
            : throw CloudException.NotFound($"Task with the given ID {id} could not be found");
    }

    public async Task<IReadOnlyList<GlanceTask>> ListAsync(RequestContext context, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<GlanceTask>(Cmd(TaskQueries.List,
            new { AllOwners = context.IsAdmin ? 1 : 0, Owner = context.ProjectId ?? "", Now, Limit = limit }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The tasks of one image (the caller has checked it may see the image).</summary>
    public async Task<IReadOnlyList<GlanceTask>> OfImageAsync(string imageId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<GlanceTask>(Cmd(TaskQueries.OfImage, new { ImageId = imageId }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(TaskQueries.Start, new { Id = id, Now }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Ends a task with success (and its result, JSON) or failure (and its message); a finished task stays as it is.</summary>
    public async Task FinishAsync(string id, string status, string? result, string message, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(TaskQueries.Finish, new { Id = id, Status = status, Result = result, Message = message, ExpiresAt = now + TimeToLive, Now = now },
            cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Tasks still pending or processing that nobody touched since <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<GlanceTask>> UnfinishedAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<GlanceTask>(Cmd(TaskQueries.Unfinished, new { Before = before }, cancellationToken)).ConfigureAwait(false)).AsList();
    }
}
