namespace Cloud.Modules.Swift.Proxy.KeystoneAuth;

/// <summary>
/// swift's keystoneauth <c>authorize</c> rules for Keystone callers, from its options (<c>reseller_prefix</c>,
/// <c>operator_roles</c>, <c>service_roles</c>, <c>reseller_admin_role</c>; the roles options per prefix as
/// <c>&lt;PREFIX&gt;_operator_roles</c>). Roles compare case-insensitively, as keystoneauth lowers them.
/// </summary>
public sealed class KeystoneAuthRules
{
    /// <summary>keystoneauth's default operator roles.</summary>
    public const string DefaultOperatorRoles = "admin, swiftoperator";

    /// <summary>cloudd's operator roles when none are configured: keystoneauth's and member, which cloudd's projects give their users.</summary>
    public const string CloudOperatorRoles = DefaultOperatorRoles + ", member";

    private readonly Dictionary<string, (HashSet<string> Operator, HashSet<string> Service)> _rules;

    private KeystoneAuthRules(IReadOnlyList<string> prefixes, Dictionary<string, (HashSet<string>, HashSet<string>)> rules, string resellerAdminRole)
    {
        ResellerPrefixes = prefixes;
        _rules = rules;
        ResellerAdminRole = resellerAdminRole;
    }

    /// <summary>The account prefixes Keystone tokens own accounts under, each ending in <c>_</c> (or empty), in the configured order.</summary>
    public IReadOnlyList<string> ResellerPrefixes { get; }

    /// <summary>The role that reaches every account (lower case).</summary>
    public string ResellerAdminRole { get; }

    /// <summary>keystoneauth's defaults: AUTH_, admin and swiftoperator operate, no service roles, ResellerAdmin.</summary>
    public static KeystoneAuthRules Default { get; } = Parse("AUTH", DefaultOperatorRoles, "", "ResellerAdmin");

    /// <summary>
    /// Reads the options as <c>config_read_reseller_options</c> does: <paramref name="resellerPrefix"/> is a comma-separated
    /// list (an underscore is added to each; <c>''</c> is the empty prefix); <paramref name="operatorRoles"/> and
    /// <paramref name="serviceRoles"/> are <c>;</c>-separated entries, each a comma-separated role list, for every prefix,
    /// or <c>PREFIX=roles</c> for one prefix only (keystoneauth's <c>PREFIX_operator_roles</c>), which wins.
    /// </summary>
    /// <exception cref="ArgumentException">What is wrong with which option.</exception>
    public static KeystoneAuthRules Parse(string resellerPrefix, string operatorRoles, string serviceRoles, string resellerAdminRole)
    {
        ArgumentNullException.ThrowIfNull(resellerPrefix);
        ArgumentNullException.ThrowIfNull(resellerAdminRole);
        var prefixes = new List<string>();
        foreach (var raw in resellerPrefix.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = Prefix(raw);
            if (!prefixes.Contains(prefix))
            {
                prefixes.Add(prefix);
            }
        }
        if (prefixes.Count == 0)
        {
            prefixes.Add("");
        }
        var operators = RolesPerPrefix(operatorRoles, prefixes, "swift_operator_roles");
        var services = RolesPerPrefix(serviceRoles, prefixes, "swift_service_roles");
        var rules = prefixes.ToDictionary(p => p, p => (operators[p], services[p]), StringComparer.Ordinal);
        var admin = resellerAdminRole.Trim();
        if (admin.Length == 0 || admin.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"swift_reseller_admin_role '{resellerAdminRole}' must name one role");
        }
        return new KeystoneAuthRules(prefixes, rules, admin.ToLowerInvariant());
    }

    /// <summary>keystoneauth's <c>_get_account_prefix</c>: the listed prefix <paramref name="account"/> starts with (the empty one last), or null.</summary>
    public string? PrefixOf(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return ResellerPrefixes.FirstOrDefault(p => p.Length > 0 && account.StartsWith(p, StringComparison.Ordinal))
            ?? (ResellerPrefixes.Contains("") ? "" : null);
    }

    /// <summary>keystoneauth's <c>_account_matches_tenant</c>: <paramref name="account"/> is one of the project's accounts.</summary>
    public bool AccountMatchesProject(string account, string? projectId) =>
        projectId is { Length: > 0 } && ResellerPrefixes.Any(p => account == p + projectId);

    /// <summary>The caller holds <see cref="ResellerAdminRole"/>: every account is theirs.</summary>
    public bool IsResellerAdmin(KeystoneIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Roles.Any(r => r.Equals(ResellerAdminRole, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// keystoneauth's owner decision for <paramref name="account"/> (<paramref name="accountRequest"/>: a request to the
    /// account itself): a reseller admin owns any account; nobody else deletes an account; a caller holding one of the
    /// prefix's operator roles on the account's project owns it, and when the prefix has service roles only with an
    /// <c>X-Service-Token</c> whose user holds one of them. False: not the owner (ACLs may still grant; else 403).
    /// </summary>
    public bool Owns(KeystoneIdentity identity, string method, string account, bool accountRequest)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (IsResellerAdmin(identity))
        {
            return true;
        }
        if ((accountRequest && method == "DELETE") || !AccountMatchesProject(account, identity.ProjectId) || PrefixOf(account) is not { } prefix)
        {
            return false;
        }
        var (operators, services) = _rules[prefix];
        return identity.Roles.Any(operators.Contains) && (services.Count == 0 || identity.ServiceRoles.Any(services.Contains));
    }

    /// <summary>
    /// The names a container or account ACL may grant this caller by (<c>_authorize_cross_tenant</c>):
    /// <c>&lt;project&gt;:&lt;user&gt;</c>, <c>&lt;project&gt;:*</c>, <c>*:&lt;user&gt;</c> and <c>*:*</c> (ids, and names too when
    /// user and project are in the default domain), and, in the project's own account, its roles (keystoneauth's last
    /// check: a role named in the ACL).
    /// </summary>
    public IReadOnlyCollection<string> AclNames(KeystoneIdentity identity, string account)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.ProjectId is not { Length: > 0 } project || identity.UserId is not { Length: > 0 } user)
        {
            return [];
        }
        List<string> projects = [project, "*"];
        List<string> users = [user, "*"];
        if (identity.NamesInDefaultDomain && identity.ProjectName is { Length: > 0 } projectName && identity.UserName is { Length: > 0 } userName)
        {
            projects.Add(projectName);
            users.Add(userName);
        }
        var names = projects.SelectMany(p => users.Select(u => $"{p}:{u}")).ToList();
        if (AccountMatchesProject(account, project))
        {
            names.AddRange(identity.Roles);
        }
        return names;
    }

    private static string Prefix(string raw)
    {
        var prefix = raw == "''" ? "" : raw;
        if (prefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            throw new ArgumentException($"swift_reseller_prefix '{raw}' may hold only letters, digits, '_', '-' and '.'");
        }
        return prefix.Length > 0 && !prefix.EndsWith('_') ? prefix + "_" : prefix;
    }

    private static Dictionary<string, HashSet<string>> RolesPerPrefix(string value, IReadOnlyList<string> prefixes, string flag)
    {
        ArgumentNullException.ThrowIfNull(value);
        var common = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var own = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var roles = (equals < 0 ? entry : entry[(equals + 1)..]).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (equals < 0)
            {
                common.UnionWith(roles);
                continue;
            }
            var prefix = Prefix(entry[..equals].Trim());
            if (!prefixes.Contains(prefix))
            {
                throw new ArgumentException($"{flag} '{value}' names prefix '{entry[..equals].Trim()}', which swift_reseller_prefix does not list");
            }
            own[prefix] = roles;
        }
        return prefixes.ToDictionary(p => p, p => own.TryGetValue(p, out var roles) ? roles : common, StringComparer.Ordinal);
    }
}
