namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>An archive that cannot be read further; its message is Python tarfile's (it follows "Invalid Tar File: ").</summary>
public sealed class BulkArchiveException : Exception
{
    public BulkArchiveException()
        : base("invalid header")
    {
    }

    public BulkArchiveException(string message)
        : base(message)
    {
    }

    public BulkArchiveException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
