using System.Globalization;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>GET /servers</c> and <c>/servers/detail</c> as nova filters, sorts and pages them: name (regex), status, image,
/// flavor, ip/ip6 (regex), reservation_id, host (admins; ignored for others), changes-since, changes-before (2.66),
/// tags/tags-any/not-tags/not-tags-any (2.26), locked (2.73), deleted (admins), sort_key/sort_dir, limit/marker and
/// the <c>servers_links</c> next link.
/// </summary>
public sealed class ServerLister(ComputeApi compute, InstanceMetadataApi metadata, ServerTagsApi tags, FlavorApi flavors)
{
    /// <summary>The most servers one list answers (nova's osapi max_limit).</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// A backstop only: the regex filters run in time linear in the text (at most 255 characters), so no match comes
    /// near it; a tight value failed cold first matches on a loaded host (the engine builds its automaton lazily).
    /// </summary>
    private static readonly TimeSpan MatchBackstop = TimeSpan.FromSeconds(1);

    /// <summary>Every status nova's status filter knows (common._STATE_MAP's values).</summary>
    private static readonly HashSet<string> KnownStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        "ACTIVE", "REBOOT", "HARD_REBOOT", "PASSWORD", "REBUILD", "MIGRATING", "RESIZE", "BUILD", "SHUTOFF", "VERIFY_RESIZE",
        "REVERT_RESIZE", "PAUSED", "SUSPENDED", "RESCUE", "ERROR", "DELETED", "SOFT_DELETED", "SHELVED", "SHELVED_OFFLOADED",
    };

    /// <summary>The query parameters nova's list schema names (query_params_v21 with the joined-table and paging ones).</summary>
    private static readonly HashSet<string> KnownParameters = new(StringComparer.Ordinal)
    {
        "user_id", "project_id", "tenant_id", "launch_index", "image_ref", "image", "kernel_id", "ramdisk_id", "hostname", "key_name", "power_state",
        "vm_state", "task_state", "host", "node", "flavor", "reservation_id", "launched_at", "terminated_at", "availability_zone", "name", "display_name",
        "description", "display_description", "locked_by", "uuid", "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6", "auto_disk_config",
        "progress", "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted", "status", "changes-since", "ip", "ip6", "created_at",
        "block_device_mapping", "services", "metadata", "system_metadata", "info_cache", "security_groups", "pci_devices", "limit", "marker",
        "tags", "tags-any", "not-tags", "not-tags-any", "changes-before", "locked",
    };

    /// <summary>
    /// The servers of one page and, when the page is full, nova's next link. The database filters what it can match
    /// exactly, sorts, and (unless a filter it cannot run remains: regular expressions, status, addresses, tags) starts
    /// after the marker and stops at the limit, so a page reads only its own rows; otherwise the remaining filters run
    /// here on the sorted rows and the page is cut from what they keep.
    /// </summary>
    public async Task<(IReadOnlyList<Instance> Page, object[]? Links)> ListAsync(HttpContext context, RequestContext ctx, bool detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ctx);
        var version = NovaVersions.Of(context);
        var query = context.Request.Query;
        if (version.AtLeast(75))
        {
            RefuseUnknownParameters(query);
        }
        var sort = ServerSort.Parse(query, version, ctx.IsAdmin);
        var limit = Limit(query);
        var marker = query["marker"].ToString() is { Length: > 0 } asked ? asked : null;
        var status = query["status"].ToString() is { Length: > 0 } wanted ? wanted : null;
        if (status is not null)
        {
            if (!KnownStatuses.Contains(status))
            {
                if (version.AtLeast(38))
                {
                    throw CloudException.Invalid("Invalid status value");
                }
                return ([], null);
            }
            if (status.Equals("DELETED", StringComparison.OrdinalIgnoreCase) && !ctx.IsAdmin)
            {
                throw CloudException.Forbidden("Only administrators may list deleted instances");
            }
        }
        var filtersHere = status is not null || HasAny(query, "name", "reservation_id", "ip", "ip6")
            || (version.AtLeast(26) && HasAny(query, "tags", "tags-any", "not-tags", "not-tags-any"));
        var instanceQuery = (await InstanceQueryAsync(context, ctx, version, sort).ConfigureAwait(false)) with
        {
            Marker = filtersHere ? null : marker,
            Limit = filtersHere ? null : limit,
        };
        var servers = await compute.ListAsync(ctx, instanceQuery, context.RequestAborted).ConfigureAwait(false);
        if (filtersHere)
        {
            servers = Page(marker, await FilterHereAsync(servers, query, version, status, context.RequestAborted).ConfigureAwait(false), limit);
        }
        return (servers, servers.Count > 0 && servers.Count == limit ? NextLink(context, detail, servers[^1].Uuid) : null);
    }

    private static bool HasAny(IQueryCollection query, params string[] names) => names.Any(n => query[n].ToString().Length > 0);

    /// <summary>The filters the database does not run (regular expressions, the status nova derives, addresses, tags), in the order given.</summary>
    private async Task<List<Instance>> FilterHereAsync(IEnumerable<Instance> servers, IQueryCollection query, Microversion version, string? status, CancellationToken cancellationToken)
    {
        if (status is not null)
        {
            servers = servers.Where(i => string.Equals(ServerView.Status(i), status, StringComparison.OrdinalIgnoreCase));
        }
        servers = Filter(servers, query, "name", i => i.DisplayName);
        servers = Filter(servers, query, "reservation_id", i => i.ReservationId);
        var list = await FilterByAddressAsync(servers.ToList(), query, cancellationToken).ConfigureAwait(false);
        return version.AtLeast(26) ? await FilterByTagsAsync(list, query, cancellationToken).ConfigureAwait(false) : list;
    }

    /// <summary>2.75 made the list schema strict: a parameter it does not name (nor one starting with '_') is a 400.</summary>
    private static void RefuseUnknownParameters(IQueryCollection query)
    {
        var unknown = query.Keys.Where(k => !KnownParameters.Contains(k) && !k.StartsWith('_')).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.Select(Validation.PythonRepr.String));
            throw CloudException.Invalid($"Additional properties are not allowed ({names} {(unknown.Count == 1 ? "was" : "were")} unexpected)");
        }
    }

    /// <summary>
    /// nova's changes-since, changes-before (2.66), deleted and host (admins), image, flavor and locked (2.73) filters
    /// and the order as the instance query.
    /// </summary>
    private async Task<InstanceListQuery> InstanceQueryAsync(HttpContext context, RequestContext ctx, Microversion version, ServerSort sort)
    {
        var query = context.Request.Query;
        var since = Timestamp(query, "changes-since");
        var before = version.AtLeast(66) ? ChangesBefore(query, since) : null;
        // Either bound shows deleted servers changed in it, as nova.
        var deletedSince = since ?? (before is null ? null : DateTime.MinValue);
        var deleted = query["deleted"].ToString() is { Length: > 0 } text && Booleans.TryParse(text) == true;
        var list = deleted && ctx.IsAdmin
            ? new InstanceListQuery { Live = false, DeletedSince = since ?? DateTime.MinValue }
            : new InstanceListQuery { DeletedSince = deletedSince };
        return list with
        {
            AllProjects = NovaCaller.AllTenants(context),
            ChangedSince = since,
            ChangedBefore = before,
            Host = ctx.IsAdmin && query["host"].ToString() is { Length: > 0 } host ? host : null,
            ImageRef = query["image"].ToString() is { Length: > 0 } image ? image.TrimEnd('/').Split('/')[^1] : null,
            InstanceTypeIds = await FlavorRowsAsync(query, context.RequestAborted).ConfigureAwait(false),
            Locked = version.AtLeast(73) && query["locked"].ToString() is { Length: > 0 } locked ? Booleans.Parse("locked", locked) : null,
            Sort = sort.Keys,
        };
    }

    /// <summary>nova filters by the flavor's flavorid; one that does not exist matches no server (an empty list).</summary>
    private async Task<IReadOnlyList<long>?> FlavorRowsAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        if (query["flavor"].ToString() is not { Length: > 0 } flavor)
        {
            return null;
        }
        var flavorId = flavor.TrimEnd('/').Split('/')[^1];
        return [.. (await flavors.ListAsync(cancellationToken).ConfigureAwait(false)).Where(f => f.FlavorId == flavorId).Select(f => f.Id)];
    }

    private static DateTime? Timestamp(IQueryCollection query, string name)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw CloudException.Invalid($"Invalid input for query parameters {name}. Value: {text}. '{text}' is not a 'date-time'");
    }

    private static DateTime? ChangesBefore(IQueryCollection query, DateTime? since)
    {
        var before = Timestamp(query, "changes-before");
        if (before < since)
        {
            throw CloudException.Invalid("The value of changes-since must be less than or equal to changes-before.");
        }
        return before;
    }

    private static int Limit(IQueryCollection query)
    {
        if (query["limit"].ToString() is not { Length: > 0 } text)
        {
            return MaxLimit;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? Math.Min(asked, MaxLimit)
            : throw CloudException.Invalid($"Invalid input for query parameters limit. Value: {text}. '{text}' does not match '^[0-9]*$'");
    }

    /// <summary>nova's paging of what the filters here kept: <c>marker</c> is the last server of the previous page (else 400).</summary>
    private static List<Instance> Page(string? marker, List<Instance> ordered, int limit)
    {
        var start = 0;
        if (marker is not null)
        {
            var index = ordered.FindIndex(i => string.Equals(i.Uuid, marker, StringComparison.OrdinalIgnoreCase));
            start = index >= 0 ? index + 1 : throw CloudException.Invalid($"marker [{marker}] not found");
        }
        return [.. ordered.Skip(start).Take(limit)];
    }

    /// <summary>nova's next link: this request's parameters, sorted, with the marker set to the page's last server.</summary>
    private static object[] NextLink(HttpContext context, bool detail, string last)
    {
        var parameters = context.Request.Query.Where(p => p.Key != "marker")
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))
            .Append(new("marker", last))
            .OrderBy(p => p.Key, StringComparer.Ordinal);
        var queryString = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return [new NovaLink("next", $"{NovaJson.BaseUrl(context)}/v2.1/servers{(detail ? "/detail" : "")}?{queryString}")];
    }

    private async Task<List<Instance>> FilterByAddressAsync(List<Instance> servers, IQueryCollection query, CancellationToken cancellationToken)
    {
        var ip = query["ip"].ToString() is { Length: > 0 } v4 ? Pattern("ip", v4) : null;
        var ip6 = query["ip6"].ToString() is { Length: > 0 } v6 ? Pattern("ip6", v6) : null;
        if (ip is null && ip6 is null)
        {
            return servers;
        }
        var addresses = await metadata.AddressesAsync(servers, cancellationToken).ConfigureAwait(false);
        return [.. servers.Where(i =>
            (ip is null || addresses[i.Uuid].Any(a => !a.Address.Contains(':', StringComparison.Ordinal) && Matches(ip, a.Address)))
            && (ip6 is null || addresses[i.Uuid].Any(a => a.Address.Contains(':', StringComparison.Ordinal) && Matches(ip6, a.Address))))];
    }

    /// <summary>tags (all of), tags-any (one of), not-tags (not all of), not-tags-any (none of): comma-separated lists.</summary>
    private async Task<List<Instance>> FilterByTagsAsync(List<Instance> servers, IQueryCollection query, CancellationToken cancellationToken)
    {
        static string[]? Tags(IQueryCollection query, string name) =>
            query[name].ToString() is { Length: > 0 } text ? text.Split(',') : null;
        var all = Tags(query, "tags");
        var any = Tags(query, "tags-any");
        var notAll = Tags(query, "not-tags");
        var notAny = Tags(query, "not-tags-any");
        if (all is null && any is null && notAll is null && notAny is null)
        {
            return servers;
        }
        var held = await tags.OfAsync(servers, cancellationToken).ConfigureAwait(false);
        return [.. servers.Where(i =>
        {
            var mine = held[i.Uuid].ToHashSet(StringComparer.Ordinal);
            return (all is null || all.All(mine.Contains))
                && (any is null || any.Any(mine.Contains))
                && (notAll is null || !notAll.All(mine.Contains))
                && (notAny is null || !notAny.Any(mine.Contains));
        })];
    }

    private static IEnumerable<Instance> Filter(IEnumerable<Instance> servers, IQueryCollection query, string name, Func<Instance, string?> field)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return servers;
        }
        var pattern = Pattern(name, text);
        return servers.Where(i => Matches(pattern, field(i) ?? ""));
    }

    /// <summary>A pattern that still takes too long on a value matches nothing rather than failing the list.</summary>
    private static bool Matches(Regex pattern, string value)
    {
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// nova filters these by regular expression. A tenant's expression runs in linear time (the non-backtracking
    /// engine) with a deadline per value, and is at most 255 characters; one that does not compile, or uses what the
    /// linear engine cannot run (backreferences, lookarounds), is a 400.
    /// </summary>
    private static Regex Pattern(string filter, string text)
    {
        if (text.Length > ServerLimits.MaxLength)
        {
            throw CloudException.Invalid($"Invalid filter '{filter}': at most {ServerLimits.MaxLength} characters.");
        }
        try
        {
            return new Regex(text, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchBackstop);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw CloudException.Invalid($"Invalid filter '{filter}': not a regular expression this cloud runs ({e.Message}).");
        }
    }
}
