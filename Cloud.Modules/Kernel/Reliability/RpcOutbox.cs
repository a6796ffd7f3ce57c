using System.Data.Common;
using System.Text;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;
using Dapper;
using Microsoft.Extensions.Logging;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Kernel.Reliability;

/// <summary>
/// A transactional outbox for casts whose loss would strand what a create just committed (a server that is never
/// scheduled): the API writes the cast into <c>rpc_outbox</c> in the create's own transaction, sends it right after
/// the commit (<see cref="SendAsync"/>, bounded by <see cref="SendDeadline"/>, never by the request's token), and
/// deletes the row once the bus took it. A row left behind (broker down, process killed) is sent again by
/// <see cref="SendDueAsync"/>, which <see cref="RpcOutboxSender"/> runs. Receivers are idempotent, so a cast
/// delivered twice (sent, but its row's delete failed) does no harm.
/// </summary>
public sealed partial class RpcOutbox(IDbConnectionFactory db, IRpcBus bus, RpcCodec codec, TimeProvider clock, ILogger<RpcOutbox> logger)
{
    /// <summary>How long one send may wait for the bus (a broker that is down must not hold the API's answer).</summary>
    public static readonly TimeSpan SendDeadline = TimeSpan.FromSeconds(10);

    /// <summary>How long a new row is left to the process that wrote it (it sends it within <see cref="SendDeadline"/> of its commit).</summary>
    public static readonly TimeSpan WriterGrace = SendDeadline + TimeSpan.FromSeconds(5);

    /// <summary>A row older than this is dropped with an error: the reconcilers have failed or re-sent its work by then.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(2);

    private const int Batch = 100;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Writes <paramref name="cast"/> in the caller's transaction; returns it encoded, for <see cref="SendAsync"/>.</summary>
    public async Task<OutboxCast> AddAsync(DbConnection connection, DbTransaction transaction, RequestContext context, PendingCast cast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(cast);
        var id = Guid.NewGuid().ToString();
        var written = new OutboxCast(id, cast.Topic, RpcMessageRegistry.MethodOf(cast.Message.GetType()), codec.EncodeRequest(context, cast.Message, id, replyTo: null));
        await connection.ExecuteAsync(Cmd(RpcOutboxQueries.Insert, new
        {
            Id = id, Topic = cast.Topic.RoutingKey, written.Method, Body = Encoding.UTF8.GetString(written.Body), Now, NextAttemptAt = Now + WriterGrace,
        }, cancellationToken, transaction)).ConfigureAwait(false);
        return written;
    }

    /// <summary>
    /// Sends a cast whose row was just committed, and deletes the row. Waits at most <see cref="SendDeadline"/> and
    /// ignores the caller's cancellation (a client that hangs up must not cancel a committed create). False when
    /// the bus did not take it: the row stays for <see cref="SendDueAsync"/>.
    /// </summary>
    public async Task<bool> SendAsync(OutboxCast cast)
    {
        ArgumentNullException.ThrowIfNull(cast);
        return await TrySendAsync(cast, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Forgets a row whose work was undone before it was sent (e.g. the create was rolled back by hand).</summary>
    public async Task DiscardAsync(string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(RpcOutboxQueries.Delete, new { Id = id }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends every row whose next attempt is due, each claimed first with a conditional update so that two
    /// processes running this never send one row twice in one round; a failed send is retried with back-off.
    /// Returns how many were delivered.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await db.QueryListAsync<OutboxRow>(RpcOutboxQueries.Due, new { Now, Limit = Batch }, cancellationToken).ConfigureAwait(false);
        var sent = 0;
        foreach (var row in due)
        {
            if (row.CreatedAt < Now - MaxAge)
            {
                await DiscardAsync(row.Id, cancellationToken).ConfigureAwait(false);
                LogDropped(row.Method, row.Topic, row.Id, row.CreatedAt);
                continue;
            }
            var claimed = await db.ExecuteAsync(RpcOutboxQueries.Claim, new { row.Id, row.Attempts, NextAttemptAt = Now + BackOff(row.Attempts + 1) }, cancellationToken).ConfigureAwait(false);
            if (claimed == 0)
            {
                continue;
            }
            var body = Encoding.UTF8.GetBytes(row.Body);
            try
            {
                // Only checks it: what cannot be decoded here could not be handled by a receiver either.
                codec.DecodeRequest(body);
            }
            catch (RpcDecodeException e)
            {
                // Written by another version of cloudd that knew the method: nothing here can send it.
                await DiscardAsync(row.Id, cancellationToken).ConfigureAwait(false);
                LogUndecodable(row.Method, row.Id, e.Message);
                continue;
            }
            if (await TrySendAsync(new OutboxCast(row.Id, Topic.Parse(row.Topic), row.Method, body), cancellationToken).ConfigureAwait(false))
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>5 s, 10 s, 20 s ... up to 2 min between attempts.</summary>
    public static TimeSpan BackOff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, 5 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 16))));

    /// <summary>Sends the row's own bytes, so a cast sent again carries the msg_id it was first sent with.</summary>
    private async Task<bool> TrySendAsync(OutboxCast cast, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(SendDeadline);
        try
        {
            await bus.CastEncodedAsync(cast.Topic, cast.Method, cast.Id, cast.Body, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            LogNotSent(e, cast.Method, cast.Topic.RoutingKey, cast.Id);
            return false;
        }
        try
        {
            await DiscardAsync(cast.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (TransientFaults.IsTransient(e))
        {
            // The row stays and the cast goes again later: a duplicate, which receivers are built to ignore.
            LogNotForgotten(e, cast.Method, cast.Id);
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cast {Method} to {Topic} not sent (outbox row {Id}); it is sent again later")]
    private partial void LogNotSent(Exception error, string method, string topic, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cast {Method} was sent but its outbox row {Id} could not be deleted; it may be sent twice")]
    private partial void LogNotForgotten(Exception error, string method, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "cast {Method} to {Topic} (outbox row {Id}, written {CreatedAt:o}) was never delivered and is dropped")]
    private partial void LogDropped(string method, string topic, string id, DateTime createdAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "outbox row {Id} ({Method}) cannot be read and is dropped: {Reason}")]
    private partial void LogUndecodable(string method, string id, string reason);
}
