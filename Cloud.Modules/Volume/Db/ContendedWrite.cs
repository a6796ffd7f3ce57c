using MySqlConnector;

namespace Cloud.Modules.Volume.Db;

/// <summary>
/// Runs a quota-bounded write again when MariaDB chose it as a deadlock victim: concurrent INSERT … SELECT statements
/// that count the same project's rows take shared locks on them, so of two racing creates InnoDB rolls one back (1213,
/// or 1467 when the victim was waiting for the auto-increment lock). The retry then sees the winner's row, so the
/// quota holds; nothing was written by the victim.
/// </summary>
internal static class ContendedWrite
{
    private const int Attempts = 20;

    public static async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (MySqlException e) when (attempt < Attempts && IsLockConflict(e))
            {
                // A short, growing, jittered pause so the racers do not collide again in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsLockConflict(MySqlException e) =>
        e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout || (int)e.ErrorCode == 1467;
}
