using System.Data.Common;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Kernel.Reliability;

/// <summary>
/// Which failures are the infrastructure's (database or broker unreachable, a lock wait, a deadlock) rather than
/// the request's: the same request may succeed a moment later. APIs answer those with 503; bus handlers leave
/// such a message to be delivered again instead of dropping it; reconcilers retry on their next pass.
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception error) => Classify(error) is not null;

    /// <summary>What is unavailable (for a 503's message), or null when the failure is not transient.</summary>
    public static string? Classify(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException:
                    return "database";
                case BusUnavailableException:
                    return "message bus";
                case MySqlConnector.MySqlException m when m.IsTransient || IsConnectionLoss(m):
                    return "database";
                case Microsoft.Data.Sqlite.SqliteException s when s.SqliteErrorCode is 5 or 6: // SQLITE_BUSY, SQLITE_LOCKED
                    return "database";
                case DbException d when d.IsTransient:
                    return "database";
                case var socket when IsDriverSocketFailure(socket):
                    return "database";
            }
        }
        return null;
    }

    // A connection that dies under a running command (the server stopping, the socket cut) surfaces as a
    // MySqlException with one of these codes, or with the socket's own IOException inside.
    private static bool IsConnectionLoss(MySqlConnector.MySqlException e) => e.InnerException is IOException or System.Net.Sockets.SocketException
        || e.ErrorCode is
            MySqlConnector.MySqlErrorCode.UnableToConnectToHost or
            MySqlConnector.MySqlErrorCode.CommandTimeoutExpired or
            MySqlConnector.MySqlErrorCode.ServerShutdown or
            MySqlConnector.MySqlErrorCode.NormalShutdown or
            MySqlConnector.MySqlErrorCode.ShutdownComplete or
            MySqlConnector.MySqlErrorCode.AbortingConnection or
            MySqlConnector.MySqlErrorCode.NewAbortingConnection or
            MySqlConnector.MySqlErrorCode.QueryInterrupted or
            MySqlConnector.MySqlErrorCode.NetReadError or
            MySqlConnector.MySqlErrorCode.NetReadInterrupted or
            MySqlConnector.MySqlErrorCode.NetErrorOnWrite or
            MySqlConnector.MySqlErrorCode.NetWriteInterrupted or
            MySqlConnector.MySqlErrorCode.ConnectionCountError or
            MySqlConnector.MySqlErrorCode.TooManyUserConnections or
            MySqlConnector.MySqlErrorCode.LockDeadlock or
            MySqlConnector.MySqlErrorCode.LockWaitTimeout;

    // The driver's own socket failures (an end of stream mid-packet, a reset) thrown without a MySqlException around them.
    private static bool IsDriverSocketFailure(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException && string.Equals(e.Source, "MySqlConnector", StringComparison.Ordinal);
}
