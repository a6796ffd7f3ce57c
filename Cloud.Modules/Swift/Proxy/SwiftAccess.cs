namespace Cloud.Modules.Swift.Proxy;

/// <summary>What tempauth's <c>authorize</c> decided for one request: the account's owner, let in by an ACL, or refused.</summary>
/// <param name="Owner">The caller acts as the account's owner (tempauth's <c>swift_owner</c>): it may set ACLs and see them.</param>
/// <param name="Refusal">401 (no valid token) or 403, or null when the request may go on.</param>
public sealed record SwiftAccess(bool Owner, (int Status, string Message)? Refusal)
{
    /// <summary>The account's owner, a reseller admin, or an admin by the account's ACL.</summary>
    public static SwiftAccess AsOwner { get; } = new(true, null);

    /// <summary>Let in by a container or account ACL, not as the owner.</summary>
    public static SwiftAccess Granted { get; } = new(false, null);

    /// <summary>Refused with <paramref name="refusal"/>.</summary>
    public static SwiftAccess Refused((int Status, string Message) refusal) => new(false, refusal);
}
