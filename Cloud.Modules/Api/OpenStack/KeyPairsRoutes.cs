using Cloud.Modules.Api.OpenStack.Validation;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>/v2.1/os-keypairs</c> per microversion (nova's keypairs API): create (generated with the private key once, or
/// imported; 201 and <c>type</c> from 2.2, another user's for admins from 2.10, import only from 2.92), list (type
/// from 2.2, <c>user_id</c> from 2.10, limit/marker and <c>keypairs_links</c> from 2.35), show, delete (204 from 2.2).
/// </summary>
public sealed class KeyPairsRoutes(NovaCaller caller, KeyPairApi keyPairs) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v2.1/os-keypairs", CreateAsync);
        app.MapGet("/v2.1/os-keypairs", ListAsync);
        app.MapGet("/v2.1/os-keypairs/{id}", ShowAsync);
        app.MapDelete("/v2.1/os-keypairs/{id}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var version = NovaVersions.Of(context);
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        CreateSchema(version).Validate(body);
        var keypair = body.GetProperty("keypair");
        var name = NovaJson.String(keypair, "name")!;
        var owner = ForUser(ctx, version.AtLeast(10) ? NovaJson.String(keypair, "user_id") : null);
        var type = (version.AtLeast(2) ? NovaJson.String(keypair, "type") : null) ?? KeyPairApi.SshType;
        Dictionary<string, object?> json;
        if (NovaJson.String(keypair, "public_key") is { } publicKey)
        {
            json = Fields(await keyPairs.ImportAsync(owner, name, publicKey, type, context.RequestAborted).ConfigureAwait(false), version);
        }
        else
        {
            var (pair, privateKey) = await keyPairs.CreateAsync(owner, name, type, context.RequestAborted).ConfigureAwait(false);
            json = Fields(pair, version);
            json["private_key"] = privateKey;
        }
        json["user_id"] = owner.UserId;
        await NovaJson.WriteAsync(context, version.AtLeast(2) ? StatusCodes.Status201Created : StatusCodes.Status200OK, new { keypair = json }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var version = NovaVersions.Of(context);
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var owner = ForUser(ctx, version.AtLeast(10) ? query["user_id"].FirstOrDefault() : null);
        IReadOnlyList<KeyPair> all = [.. (await keyPairs.ListAsync(owner, context.RequestAborted).ConfigureAwait(false)).OrderBy(k => k.Name, StringComparer.Ordinal)];
        object[]? links = null;
        if (version.AtLeast(35))
        {
            (all, links) = Page(context, all);
        }
        var items = all.Select(k =>
        {
            var json = Fields(k, version);
            json.Remove("user_id");
            return new { keypair = json };
        }).ToList();
        object answer = links is null ? new { keypairs = items } : new Dictionary<string, object> { ["keypairs"] = items, ["keypairs_links"] = links };
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, answer).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var version = NovaVersions.Of(context);
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var owner = ForUser(ctx, version.AtLeast(10) ? context.Request.Query["user_id"].FirstOrDefault() : null);
        var pair = await keyPairs.GetAsync(owner, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var json = Fields(pair, version);
        json["id"] = pair.Id;
        json["created_at"] = NovaJson.Timestamp(pair.CreatedAt);
        json["deleted"] = false;
        json["deleted_at"] = null;
        json["updated_at"] = null;
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { keypair = json }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var version = NovaVersions.Of(context);
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var owner = ForUser(ctx, version.AtLeast(10) ? context.Request.Query["user_id"].FirstOrDefault() : null);
        await keyPairs.DeleteAsync(owner, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, version.AtLeast(2) ? StatusCodes.Status204NoContent : StatusCodes.Status202Accepted);
    }

    /// <summary>The caller, or (2.10, admins only as nova's policy) the user named by <c>user_id</c>.</summary>
    private static RequestContext ForUser(RequestContext ctx, string? userId)
    {
        if (userId is null || userId == ctx.UserId)
        {
            return ctx;
        }
        return ctx.IsAdmin ? ctx with { UserId = userId } : throw CloudException.Forbidden("Policy doesn't allow os_compute_api:os-keypairs:index to be performed.");
    }

    /// <summary>nova's paging of key pairs (2.35): by name, <c>marker</c> a name (else 400), the next link when the page is full.</summary>
    private static (IReadOnlyList<KeyPair> Page, object[]? Links) Page(HttpContext context, IReadOnlyList<KeyPair> all)
    {
        var query = context.Request.Query;
        var limit = ServerLister.MaxLimit;
        if (query["limit"].ToString() is { Length: > 0 } text)
        {
            limit = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked)
                ? Math.Min(asked, ServerLister.MaxLimit)
                : throw CloudException.Invalid($"Invalid input for query parameters limit. Value: {text}. '{text}' does not match '^[0-9]*$'");
        }
        var start = 0;
        if (query["marker"].ToString() is { Length: > 0 } marker)
        {
            var index = all.ToList().FindIndex(k => k.Name == marker);
            start = index >= 0 ? index + 1 : throw CloudException.Invalid($"Marker {marker} could not be found.");
        }
        List<KeyPair> page = [.. all.Skip(start).Take(limit)];
        if (page.Count == 0 || page.Count != limit)
        {
            return (page, null);
        }
        var parameters = query.Where(p => p.Key != "marker").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString())}")
            .Append($"marker={Uri.EscapeDataString(page[^1].Name)}").Order(StringComparer.Ordinal);
        return (page, [new { rel = "next", href = $"{NovaJson.BaseUrl(context)}/v2.1/os-keypairs?{string.Join("&", parameters)}" }]);
    }

    private static JsonSchema CreateSchema(Microversion version)
    {
        var keypair = new JsonSchema
        {
            Types = ["object"],
            Properties =
            [
                new("name", new() { Types = ["string"], MinLength = 1, MaxLength = 255, Format = version.AtLeast(92) ? "keypair_name_292" : "keypair_name_20" }),
                new("public_key", new() { Types = ["string"] }),
            ],
            Required = version.AtLeast(92) ? ["name", "public_key"] : ["name"],
            AdditionalProperties = false,
        };
        if (version.AtLeast(2))
        {
            keypair = keypair.WithProperty("type", new() { Types = ["string"], Enum = ["ssh", "x509"] });
        }
        if (version.AtLeast(10))
        {
            keypair = keypair.WithProperty("user_id", new() { Types = ["string"] });
        }
        return new() { Types = ["object"], Properties = [new("keypair", keypair)], Required = ["keypair"], AdditionalProperties = false };
    }

    private static Dictionary<string, object?> Fields(KeyPair pair, Microversion version)
    {
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = pair.Name,
            ["public_key"] = pair.PublicKey,
            ["fingerprint"] = pair.Fingerprint,
            ["user_id"] = pair.UserId,
        };
        if (version.AtLeast(2))
        {
            json["type"] = pair.Type;
        }
        return json;
    }
}
