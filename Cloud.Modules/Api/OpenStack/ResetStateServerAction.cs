using System.Text.Json;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>os-resetState</c> (admins; nova's admin_actions): <c>{"os-resetState": {"state": "active" | "error"}}</c>, 202.</summary>
public sealed class ResetStateServerAction(GuestStateApi guests) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["os-resetState"];

    public Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var args = call.Arguments;
        if (args.ValueKind != JsonValueKind.Object)
        {
            throw ActionArguments.Invalid("os-resetState", args, $"{args.GetRawText()} is not of type 'object'");
        }
        ActionArguments.RequireOnly(args, "os-resetState", "state");
        if (!args.TryGetProperty("state", out var state))
        {
            throw ActionArguments.Invalid("os-resetState", args, "'state' is a required property");
        }
        var vmState = state.ValueKind == JsonValueKind.String ? state.GetString() : null;
        if (vmState is not (VmStates.Active or VmStates.Error))
        {
            throw ActionArguments.Invalid("os-resetState/state", state, $"{state.GetRawText()} is not one of ['active', 'error']");
        }
        return guests.ResetStateAsync(call.Context, call.Instance, vmState, call.CancellationToken);
    }
}
