namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// What ends a bulk operation early (swift raises an HTTPException inside the already-started 200): its status line
/// and body become the result's "Response Status" and "Response Body".
/// </summary>
public sealed class BulkRefusal : Exception
{
    public BulkRefusal()
    {
    }

    public BulkRefusal(string message)
        : base(message)
    {
    }

    public BulkRefusal(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BulkRefusal(int status, string body = "")
        : base(body) => Status = status;

    public int Status { get; } = 400;
}
