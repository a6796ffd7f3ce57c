namespace Cloud.Modules.Swift.Proxy;

/// <summary>One tempauth user, as proxy-server.conf's <c>user_&lt;account&gt;_&lt;user&gt; = &lt;key&gt; [group...]</c> declares it.</summary>
/// <param name="Account">Account name without the reseller prefix (system).</param>
/// <param name="User">User name (root).</param>
/// <param name="Key">The user's key (password).</param>
/// <param name="Groups">Extra groups, e.g. <c>.admin</c> (owns the account) or <c>.reseller_admin</c> (every account).</param>
public sealed record TempAuthUser(string Account, string User, string Key, IReadOnlyList<string> Groups)
{
    /// <summary>Whether the user may act on <paramref name="account"/> (with the reseller prefix, AUTH_system).</summary>
    public bool MayUse(string account) =>
        Groups.Contains(TempAuth.ResellerAdminGroup)
        || (Groups.Contains(TempAuth.AdminGroup) && string.Equals(account, TempAuth.ResellerPrefix + Account, StringComparison.Ordinal));
}
