namespace Cloud.Modules.Glance.Tasks;

/// <summary>
/// One image task (a row of <c>tasks</c>): today the <c>api_image_import</c> task an interoperable import runs.
/// <see cref="Input"/> and <see cref="Result"/> are JSON text, as the API shows them as objects.
/// </summary>
public sealed record GlanceTask
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Success = "success";
    public const string Failure = "failure";

    public string Id { get; init; } = "";

    public string Type { get; init; } = "";

    /// <summary>pending, processing, success or failure.</summary>
    public string Status { get; init; } = Pending;

    /// <summary>The project that asked for the task.</summary>
    public string Owner { get; init; } = "";

    public string Input { get; init; } = "{}";

    public string? Result { get; init; }

    public string Message { get; init; } = "";

    public string? ImageId { get; init; }

    public string? RequestId { get; init; }

    public string? UserId { get; init; }

    /// <summary>When a finished task stops being listed (glance's task_time_to_live); null while it runs.</summary>
    public DateTime? ExpiresAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}
