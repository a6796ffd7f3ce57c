using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/servers</c>: create (min/max count), list, detail, show, rename, delete, and server metadata.</summary>
public sealed class ServersRoutes(
    NovaCaller caller, ComputeApi compute, InstanceMetadataApi metadata, ImageApi images, ServerDetails details, ServerLister lister, FlavorApi flavors, KeyPairApi keyPairs,
    Network.NetworkApi networks, ServerTagsApi tags) : INovaRoutes
{
    /// <summary>nova's default metadata_items quota.</summary>
    private const int MaxMetadataItems = 128;

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
        var version = NovaVersions.Of(context);
        var asked = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var body = ServerCreateBody.Parse(asked, version);
        var server = body.Server;
        var minCount = NovaJson.Integer(server, "min_count") ?? 1;
        var maxCount = NovaJson.Integer(server, "max_count") ?? minCount;
        if (minCount > maxCount)
        {
            throw CloudException.Invalid("min_count must be <= max_count");
        }
        ServerLimits.CheckCount("max_count", maxCount);
        if (server.TryGetProperty("metadata", out var items) && items.EnumerateObject().Count() > MaxMetadataItems)
        {
            throw CloudException.Forbidden($"Maximum number of metadata items exceeds {MaxMetadataItems}");
        }
        var mappings = BlockDeviceMappingJson.Parse(server);
        // Booted from a volume, the server needs no image; one given still lends its kernel and ramdisk.
        var bootFromVolume = mappings.Any(m => m.BootIndex == 0);
        var imageRef = LastSegment(NovaJson.String(server, "imageRef"));
        const string NoImage = "Can not find requested image";
        var image = string.IsNullOrEmpty(imageRef) && bootFromVolume ? null : await BootImages.GetAsync(images, ctx,
            imageRef is { Length: > 0 } ? imageRef : throw CloudException.Invalid(NoImage), context.RequestAborted, NoImage).ConfigureAwait(false);
        var flavorRef = LastSegment(NovaJson.String(server, "flavorRef"))!;
        var flavor = await flavors.FindAsync(flavorRef, context.RequestAborted).ConfigureAwait(false) ?? throw CloudException.Invalid($"Flavor {flavorRef} could not be found.");
        if (image is not null && !bootFromVolume)
        {
            ServerImageFit.Check(flavor, image);
        }
        await CheckKeyAndNetworksAsync(ctx, body, context.RequestAborted).ConfigureAwait(false);
        var (kernelId, ramdiskId) = image is null ? (null, null) : await BootImages.KernelAndRamdiskAsync(images, ctx, image, null, null, context.RequestAborted).ConfigureAwait(false);
        var request = new CreateInstancesRequest(bootFromVolume ? "" : image!.Id, flavorRef, (int)minCount, (int)maxCount)
        {
            DisplayName = NovaJson.String(server, "name"),
            KeyName = NovaJson.String(server, "key_name"),
            SecurityGroups = SecurityGroupNames(server),
            UserData = NovaJson.String(server, "user_data"),
            AvailabilityZone = NovaJson.String(server, "availability_zone"),
            KernelId = kernelId,
            RamdiskId = ramdiskId,
            Metadata = NovaJson.StringMap(server, "metadata") ?? [],
            ImageProperties = image?.Properties,
            BlockDeviceMappings = mappings,
            ServerGroup = SchedulerHintsJson.Group(asked),
            NoNetwork = body.NoNetwork,
        };
        var created = await compute.CreateAsync(ctx, request, context.RequestAborted).ConfigureAwait(false);
        await SaveCreateExtrasAsync(ctx, body, created, context.RequestAborted).ConfigureAwait(false);
        if (server.TryGetProperty("return_reservation_id", out var rr) && rr.ValueKind == JsonValueKind.True)
        {
            await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { reservation_id = created[0].ReservationId }).ConfigureAwait(false);
            return;
        }
        var first = created[0];
        context.Response.Headers.Location = $"{NovaJson.BaseUrl(context)}/v2.1/servers/{first.Uuid}";
        // nova's create view: id, links, OS-DCF:diskConfig, security_groups (as asked, else default) and adminPass.
        var answer = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = first.Uuid,
            ["links"] = NovaJson.Links(context, "servers", first.Uuid),
            ["OS-DCF:diskConfig"] = body.DiskConfig,
            ["security_groups"] = request.SecurityGroups.DefaultIfEmpty(SecurityGroupApi.DefaultGroup).Select(g => new { name = g }).ToList(),
            ["adminPass"] = body.AdminPass,
        };
        await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { server = answer }).ConfigureAwait(false);
    }

    /// <summary>nova's 400s for a key pair the caller does not have and a network that does not exist.</summary>
    private async Task CheckKeyAndNetworksAsync(RequestContext ctx, ServerCreateBody body, CancellationToken cancellationToken)
    {
        if (NovaJson.String(body.Server, "key_name") is { } keyName)
        {
            try
            {
                await keyPairs.GetAsync(ctx, keyName, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
            {
                throw CloudException.Invalid("Invalid key_name provided.");
            }
        }
        if (body.NetworkUuids.Count == 0)
        {
            return;
        }
        var known = (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).Select(n => n.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (body.NetworkUuids.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            throw CloudException.Invalid($"Network {unknown} could not be found.");
        }
    }

    /// <summary>What the create request carries beyond cloudd's instance request: description, access IPs, tags, hostname, certificates.</summary>
    private async Task SaveCreateExtrasAsync(RequestContext ctx, ServerCreateBody body, IReadOnlyList<Instance> created, CancellationToken cancellationToken)
    {
        var update = new ServerUpdate { SetDescription = body.Description is not null, Description = body.Description, AccessIpV4 = body.AccessIpV4, AccessIpV6 = body.AccessIpV6 };
        var changes = update.SetDescription || update.AccessIpV4 is not null || update.AccessIpV6 is not null;
        foreach (var instance in created)
        {
            if (changes)
            {
                await metadata.UpdateAsync(ctx, instance.Uuid, update, cancellationToken).ConfigureAwait(false);
            }
            await tags.SetInitialAsync(instance.Uuid, body.Tags, cancellationToken).ConfigureAwait(false);
            var hostname = body.Hostname is { } asked && created.Count > 1 ? $"{asked}-{instance.LaunchIndex + 1}" : body.Hostname;
            if (hostname is not null || body.TrustedCertificates is not null || body.DiskConfig != "MANUAL")
            {
                await tags.SetExtrasAsync(ctx, new InstanceExtras { InstanceUuid = instance.Uuid, Hostname = hostname, TrustedCertificates = body.TrustedCertificates, DiskConfig = body.DiskConfig }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        if (NovaCaller.AllTenants(context))
        {
            NovaPolicy.RequireAdmin(ctx, detail ? "servers:detail:get_all_tenants" : "servers:index:get_all_tenants");
        }
        var (page, links) = await lister.ListAsync(context, ctx, detail).ConfigureAwait(false);
        var baseUrl = NovaJson.BaseUrl(context);
        if (!detail)
        {
            var body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["servers"] = page.Select(i => ServerView.Summary(baseUrl, i)).ToList() };
            if (links is not null)
            {
                body["servers_links"] = links;
            }
            await NovaJson.WriteTreeAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
            return;
        }
        var facts = await details.ManyAsync(context, ctx, page, NovaCaller.AllTenants(context), ServerViewOptions.List).ConfigureAwait(false);
        var version = NovaVersions.Of(context);
        await NovaJson.WriteJsonAsync(context, StatusCodes.Status200OK, (writer, options) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("servers");
            ServerDetailJson.WriteMany(writer, baseUrl, version, facts, ServerViewOptions.List);
            writer.WriteEndArray();
            if (links is not null)
            {
                writer.WritePropertyName("servers_links");
                NovaJsonTree.Write(writer, links, options);
            }
            writer.WriteEndObject();
        }).ConfigureAwait(false);
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
        var version = NovaVersions.Of(context);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        NovaSchemas.ServerUpdate(version).Validate(body);
        var server = body.GetProperty("server");
        var instance = await LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var update = new ServerUpdate
        {
            Name = NovaJson.String(server, "name"),
            SetDescription = server.TryGetProperty("description", out _),
            Description = NovaJson.String(server, "description"),
            AccessIpV4 = NovaJson.String(server, "accessIPv4"),
            AccessIpV6 = NovaJson.String(server, "accessIPv6"),
        };
        instance = await metadata.UpdateAsync(ctx, instance.Uuid, update, context.RequestAborted).ConfigureAwait(false);
        var hostname = NovaJson.String(server, "hostname");
        var diskConfig = NovaJson.String(server, "OS-DCF:diskConfig");
        if (hostname is not null || diskConfig is not null)
        {
            var extras = (await tags.ExtrasOfAsync([instance], context.RequestAborted).ConfigureAwait(false)).GetValueOrDefault(instance.Uuid);
            await tags.SetExtrasAsync(ctx, new InstanceExtras
            {
                InstanceUuid = instance.Uuid,
                Hostname = hostname ?? extras?.Hostname,
                TrustedCertificates = extras?.TrustedCertificates,
                DiskConfig = diskConfig ?? extras?.DiskConfig ?? "MANUAL",
            }, context.RequestAborted).ConfigureAwait(false);
        }
        var view = await details.OneAsync(context, ctx, instance, ServerViewOptions.Update(version)).ConfigureAwait(false);
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
}
