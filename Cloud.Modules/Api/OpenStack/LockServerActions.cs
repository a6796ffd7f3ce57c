using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>lock</c> (with <c>locked_reason</c> from 2.73) and <c>unlock</c> (nova's lock_server): 202.</summary>
public sealed class LockServerActions(GuestStateApi guests) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["lock", "unlock"];

    public Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Action == "unlock")
        {
            return guests.UnlockAsync(call.Context, call.Instance, call.CancellationToken);
        }
        // Before 2.73 nova ignores the body; from 2.73 it is null or {"locked_reason": "1..255 characters"}.
        var reason = call.Version.AtLeast(73)
            ? ActionArguments.OptionalString(ActionArguments.ObjectOrNull(call.Arguments, "lock", "locked_reason"), "lock", "locked_reason", 1, 255)
            : null;
        return guests.LockAsync(call.Context, call.Instance, reason, call.CancellationToken);
    }
}
