using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>shelve</c>, <c>shelveOffload</c> and <c>unshelve</c> (with <c>availability_zone</c> from 2.77): each an empty 202.</summary>
public sealed class ShelveActions(InstanceMoveApi moves) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["shelve", "shelveOffload", "unshelve"];

    public Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Action switch
        {
            "shelve" => moves.ShelveAsync(call.Context, call.Instance, call.CancellationToken),
            "shelveOffload" => moves.ShelveOffloadAsync(call.Context, call.Instance, call.CancellationToken),
            _ => moves.UnshelveAsync(call.Context, call.Instance, AvailabilityZone(call), call.CancellationToken),
        };
    }

    /// <summary><c>{"unshelve": {"availability_zone": "nova"}}</c> from 2.77; <c>{"unshelve": null}</c> otherwise.</summary>
    private static string? AvailabilityZone(ServerActionCall call)
    {
        if (call.Arguments.ValueKind != JsonValueKind.Object || !call.Version.AtLeast(77))
        {
            return null;
        }
        // Names, not JsonProperty: the default JsonProperty FirstOrDefault gives when there is no other member throws on .Name.
        if (call.Arguments.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "availability_zone") is { Length: > 0 } unknown)
        {
            throw CloudException.Invalid($"Invalid input for field/attribute unshelve. Additional properties are not allowed ('{unknown}' was unexpected)");
        }
        return NovaJson.String(call.Arguments, "availability_zone");
    }
}
