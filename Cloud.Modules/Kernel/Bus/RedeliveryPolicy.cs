namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// When a cast whose handler failed transiently (database or broker away, a deadlock) is delivered again: after
/// 1, 2, 4 ... seconds, capped at <see cref="MaxDelay"/>, for at most <see cref="MaxAttempts"/> attempts (about ten
/// minutes), so that an outage delays the work instead of dropping it, and a message that never succeeds ends.
/// </summary>
public sealed record RedeliveryPolicy(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    /// <summary>1 s doubling to 30 s, 25 attempts: 1+2+4+8+16 s, then 30 s each, about ten minutes in all.</summary>
    public static RedeliveryPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 25);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 is the first redelivery).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var doublings = Math.Clamp(nextAttempt - 2, 0, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>Whether a message that failed on <paramref name="attempt"/> may be tried again.</summary>
    public bool MayRetryAfter(int attempt) => attempt < MaxAttempts;
}
