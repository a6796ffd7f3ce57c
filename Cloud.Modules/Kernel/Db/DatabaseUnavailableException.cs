namespace Cloud.Modules.Kernel.Db;

/// <summary>The database cannot be reached or used; the message names it (without its password).</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
