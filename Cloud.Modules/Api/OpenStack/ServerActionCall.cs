using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// One server action being answered: <paramref name="Action"/> is the body's only key and <paramref name="Arguments"/> its
/// value (null, an object, ...); <paramref name="Instance"/> is live and the caller's (or any, for an admin).
/// </summary>
public sealed record ServerActionCall(HttpContext Http, RequestContext Context, Instance Instance, string Action, JsonElement Arguments)
{
    public Microversion Version => NovaVersions.Of(Http);

    public CancellationToken CancellationToken => Http.RequestAborted;
}
