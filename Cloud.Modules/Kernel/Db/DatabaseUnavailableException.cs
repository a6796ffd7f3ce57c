namespace Cloud.Modules.Kernel.Db;

/// <summary>The database cannot be reached or used; the message names it (without its password).</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null, bool databaseMissing = false) : Exception(message, inner)
{
    /// <summary>The server answered but has no such database: nothing has been synced yet.</summary>
    public bool DatabaseMissing { get; } = databaseMissing;
}
