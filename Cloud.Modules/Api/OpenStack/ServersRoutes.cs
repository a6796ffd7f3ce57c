using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/servers</c>: create (min/max count), list, detail, show, rename, delete, and server metadata.</summary>
public sealed class ServersRoutes(NovaCaller caller, ComputeApi compute, InstanceMetadataApi metadata, ImageApi images, ServerDetails details) : INovaRoutes
{
    /// <summary>The most servers one list answers (nova's osapi max_limit).</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// A backstop only: the name filter runs in time linear in the name (at most 255 characters), so no match comes
    /// near it; a tight value failed cold first matches on a loaded host (the engine builds its automaton lazily).
    /// </summary>
    private static readonly TimeSpan MatchBackstop = TimeSpan.FromSeconds(1);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v2.1/servers", CreateAsync);
        app.MapGet("/v2.1/servers", context => ListAsync(context, detail: false));
        app.MapGet("/v2.1/servers/detail", context => ListAsync(context, detail: true));
        app.MapGet("/v2.1/servers/{id}", ShowAsync);
        app.MapPut("/v2.1/servers/{id}", UpdateAsync);
        app.MapDelete("/v2.1/servers/{id}", DeleteAsync);
        app.MapGet("/v2.1/servers/{id}/metadata", ShowMetadataAsync);
        app.MapPut("/v2.1/servers/{id}/metadata", context => SetMetadataAsync(context, replace: true));
        app.MapPost("/v2.1/servers/{id}/metadata", context => SetMetadataAsync(context, replace: false));
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var server = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "server");
        var name = NovaJson.String(server, "name") ?? throw CloudException.Invalid("Invalid input for field 'name': a server name is required.");
        var minCount = NovaJson.Integer(server, "min_count") ?? 1;
        var maxCount = NovaJson.Integer(server, "max_count") ?? minCount;
        if (minCount < 1 || maxCount < 1 || maxCount < minCount)
        {
            throw CloudException.Invalid($"Invalid min_count {minCount} or max_count {maxCount}: both at least 1 and min_count not above max_count.");
        }
        ServerLimits.CheckCount("max_count", maxCount);
        var mappings = BlockDeviceMappingJson.Parse(server);
        // Booted from a volume, the server needs no image; one given still lends its kernel and ramdisk.
        var bootFromVolume = mappings.Any(m => m.BootIndex == 0);
        var imageRef = LastSegment(NovaJson.String(server, "imageRef"));
        var image = string.IsNullOrEmpty(imageRef) && bootFromVolume ? null : await BootImages.GetAsync(images, ctx,
            imageRef is { Length: > 0 } ? imageRef : throw CloudException.Invalid("Invalid input for field 'imageRef': an image is required."), context.RequestAborted).ConfigureAwait(false);
        var (kernelId, ramdiskId) = image is null ? (null, null) : await BootImages.KernelAndRamdiskAsync(images, ctx, image, null, null, context.RequestAborted).ConfigureAwait(false);
        var userData = NovaJson.String(server, "user_data");
        if (userData is not null && !Convert.TryFromBase64String(userData, new byte[userData.Length], out _))
        {
            throw CloudException.Invalid("Invalid input for field 'user_data': base64 is expected.");
        }
        var request = new CreateInstancesRequest(bootFromVolume ? "" : image!.Id, LastSegment(NovaJson.String(server, "flavorRef")) ?? throw CloudException.Invalid("Invalid input for field 'flavorRef': a flavor is required."), (int)minCount, (int)maxCount)
        {
            DisplayName = name,
            KeyName = NovaJson.String(server, "key_name"),
            SecurityGroups = SecurityGroupNames(server),
            UserData = userData,
            AvailabilityZone = NovaJson.String(server, "availability_zone"),
            KernelId = kernelId,
            RamdiskId = ramdiskId,
            Metadata = NovaJson.StringMap(server, "metadata") ?? [],
            ImageProperties = image?.Properties,
            BlockDeviceMappings = mappings,
        };
        var created = await compute.CreateAsync(ctx, request, context.RequestAborted).ConfigureAwait(false);
        if (server.TryGetProperty("return_reservation_id", out var rr) && rr.ValueKind == JsonValueKind.True)
        {
            await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { reservation_id = created[0].ReservationId }).ConfigureAwait(false);
            return;
        }
        var first = created[0];
        context.Response.Headers.Location = $"{NovaJson.BaseUrl(context)}/v2.1/servers/{first.Uuid}";
        var body = ServerView.Summary(context, first);
        body["OS-DCF:diskConfig"] = "MANUAL";
        body["adminPass"] = "";
        body["security_groups"] = request.SecurityGroups.DefaultIfEmpty(SecurityGroupApi.DefaultGroup).Select(g => new { name = g }).ToList();
        await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { server = body }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        IEnumerable<Instance> servers = await compute.ListAsync(ctx, ListQuery(context, ctx), context.RequestAborted).ConfigureAwait(false);
        if (query["name"].ToString() is { Length: > 0 } name)
        {
            var pattern = NamePattern(name);
            servers = servers.Where(i => Matches(pattern, i.DisplayName));
        }
        if (query["status"].ToString() is { Length: > 0 } status)
        {
            servers = servers.Where(i => string.Equals(ServerView.Status(i), status, StringComparison.OrdinalIgnoreCase));
        }
        var shown = Page(context, servers.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id));
        if (!detail)
        {
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { servers = shown.Select(i => ServerView.Summary(context, i)) }).ConfigureAwait(false);
            return;
        }
        var views = await details.ManyAsync(context, ctx, shown, NovaCaller.AllTenants(context), ServerViewOptions.List).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { servers = views }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var view = await details.OneAsync(context, ctx, instance, ServerViewOptions.Show(NovaVersions.Of(context))).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { server = view }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var server = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "server");
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        if (NovaJson.String(server, "name") is { } name)
        {
            instance = await metadata.RenameAsync(ctx, instance.Uuid, name, context.RequestAborted).ConfigureAwait(false);
        }
        var view = await details.OneAsync(context, ctx, instance, ServerViewOptions.Update(NovaVersions.Of(context))).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { server = view }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        await compute.TerminateAsync(ctx, instance.Uuid, context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    private async Task ShowMetadataAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var items = await compute.GetMetadataAsync(ctx, instance.Uuid, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { metadata = items }).ConfigureAwait(false);
    }

    private async Task SetMetadataAsync(HttpContext context, bool replace)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var items = NovaJson.StringMap(body, "metadata") ?? throw CloudException.Invalid("The request body must contain the object 'metadata'.");
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var all = await metadata.SetAsync(ctx, instance.Uuid, items, replace, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { metadata = all }).ConfigureAwait(false);
    }

    /// <summary>A server by UUID only (a name is a 404, as clients expect before they list); a deleted one is gone.</summary>
    internal async Task<Instance> LiveAsync(RequestContext ctx, string id, CancellationToken cancellationToken)
    {
        var instance = Guid.TryParse(id, out _) ? await compute.GetAsync(ctx, id, cancellationToken).ConfigureAwait(false) : null;
        return instance is { Deleted: false } ? instance : throw CloudException.NotFound($"Instance {id} could not be found.");
    }

    private static List<string> SecurityGroupNames(JsonElement server)
    {
        if (!server.TryGetProperty("security_groups", out var groups) || groups.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (groups.ValueKind != JsonValueKind.Array)
        {
            throw CloudException.Invalid("Invalid input for field 'security_groups': a list of {\"name\": ...} is expected.");
        }
        return [.. groups.EnumerateArray().Select(g => g.ValueKind == JsonValueKind.Object ? NovaJson.String(g, "name") : null)
            .Select(n => n ?? throw CloudException.Invalid("Invalid input for field 'security_groups': every group needs a name."))];
    }

    /// <summary>imageRef and flavorRef may be bookmark URLs; their id is the last path segment.</summary>
    private static string? LastSegment(string? reference) => reference?.TrimEnd('/').Split('/')[^1];

    /// <summary>
    /// nova's list filters on deleted servers: <c>changes-since</c> (any user: servers changed since, deleted ones
    /// included) and <c>deleted=true</c> (admins only, as nova's policy: deleted servers; ignored for others).
    /// </summary>
    private static InstanceListQuery ListQuery(HttpContext context, RequestContext ctx)
    {
        var query = context.Request.Query;
        DateTime? since = null;
        if (query["changes-since"].ToString() is { Length: > 0 } text)
        {
            since = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.UtcDateTime
                : throw CloudException.Invalid($"Invalid input for query parameters changes-since. Value: {text}. '{text}' is not a 'date-time'");
        }
        var deleted = query["deleted"].ToString().ToLowerInvariant() switch
        {
            "" or "0" or "false" or "f" or "no" or "off" => false,
            "1" or "true" or "t" or "yes" or "on" => true,
            var other => throw CloudException.Invalid($"Invalid input for query parameters deleted. Value: {other}. It is not a boolean."),
        };
        var allProjects = NovaCaller.AllTenants(context);
        if (deleted && ctx.IsAdmin)
        {
            return new InstanceListQuery { AllProjects = allProjects, Live = false, DeletedSince = since ?? DateTime.MinValue, ChangedSince = since };
        }
        return new InstanceListQuery { AllProjects = allProjects, DeletedSince = since, ChangedSince = since };
    }

    /// <summary>nova's paging: <c>marker</c> (the last server of the previous page, else 400) and <c>limit</c>, at most <see cref="MaxLimit"/>.</summary>
    private static List<Instance> Page(HttpContext context, IEnumerable<Instance> ordered)
    {
        var query = context.Request.Query;
        var limit = MaxLimit;
        if (query["limit"].ToString() is { Length: > 0 } text)
        {
            limit = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked)
                ? Math.Min(asked, MaxLimit)
                : throw CloudException.Invalid($"Invalid input for query parameters limit. Value: {text}. '{text}' is not a non-negative integer.");
        }
        var all = ordered.ToList();
        var start = 0;
        if (query["marker"].ToString() is { Length: > 0 } marker)
        {
            var index = all.FindIndex(i => string.Equals(i.Uuid, marker, StringComparison.OrdinalIgnoreCase));
            start = index >= 0 ? index + 1 : throw CloudException.Invalid($"marker [{marker}] not found");
        }
        return all.Skip(start).Take(limit).ToList();
    }

    /// <summary>A pattern that still takes too long on a name matches nothing rather than failing the list.</summary>
    private static bool Matches(Regex pattern, string name)
    {
        try
        {
            return pattern.IsMatch(name);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// nova filters names by regular expression. A tenant's expression runs in linear time (the non-backtracking
    /// engine) with a deadline per name, and is at most 255 characters; one that does not compile, or uses what the
    /// linear engine cannot run (backreferences, lookarounds), is a 400.
    /// </summary>
    private static Regex NamePattern(string name)
    {
        if (name.Length > ServerLimits.MaxLength)
        {
            throw CloudException.Invalid($"Invalid filter 'name': at most {ServerLimits.MaxLength} characters.");
        }
        try
        {
            return new Regex(name, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchBackstop);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw CloudException.Invalid($"Invalid filter 'name': not a regular expression this cloud runs ({e.Message}).");
        }
    }
}
