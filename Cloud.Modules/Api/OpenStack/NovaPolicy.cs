using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>Nova's refusals name the policy rule that refused (nova/policies/*.py), as oslo.policy's PolicyNotAuthorized.</summary>
public static class NovaPolicy
{
    /// <summary>"Policy doesn't allow os_compute_api:<paramref name="rule"/> to be performed."</summary>
    public static string Refusal(string rule) => $"Policy doesn't allow os_compute_api:{rule} to be performed.";

    /// <summary>403 with the refusal of <paramref name="rule"/> (e.g. <c>os-services:list</c>) unless the caller is an admin.</summary>
    public static void RequireAdmin(RequestContext context, string rule) => Policy.RequireAdmin(context, Refusal(rule));
}
