using System.Text.Json;
using Cloud.Modules.Api.OpenStack.Validation;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>os-resetState</c> (admins; nova's admin_actions): <c>{"os-resetState": {"state": "active" | "error"}}</c>, 202.</summary>
public sealed class ResetStateServerAction(GuestStateApi guests) : IServerAction
{
    /// <summary>nova's reset_state schema for <c>state</c> (nova/api/openstack/compute/schemas/admin_actions.py).</summary>
    private static readonly JsonSchema StateSchema = new() { Types = ["string"], Enum = [VmStates.Active, VmStates.Error] };

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
        StateSchema.ValidateAt(state, "os-resetState", "state");
        return guests.ResetStateAsync(call.Context, call.Instance, state.GetString()!, call.CancellationToken);
    }
}
