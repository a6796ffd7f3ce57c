using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>pause</c>, <c>unpause</c>, <c>suspend</c> and <c>resume</c>: 202, then the host changes the guest (nova's pause_server and suspend_server).</summary>
public sealed class GuestStateServerActions(GuestStateApi guests) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["pause", "unpause", "suspend", "resume"];

    public Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var (context, instance, ct) = (call.Context, call.Instance, call.CancellationToken);
        return call.Action switch
        {
            "pause" => guests.PauseAsync(context, instance, ct),
            "unpause" => guests.UnpauseAsync(context, instance, ct),
            "suspend" => guests.SuspendAsync(context, instance, ct),
            _ => guests.ResumeAsync(context, instance, ct),
        };
    }
}
