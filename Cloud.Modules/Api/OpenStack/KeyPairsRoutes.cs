using Cloud.Modules.Compute;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/os-keypairs</c>: create (generated, with the private key once, or imported), list, show, delete (api-compat §3.5).</summary>
public sealed class KeyPairsRoutes(NovaCaller caller, KeyPairApi keyPairs) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v2.1/os-keypairs", CreateAsync);
        app.MapGet("/v2.1/os-keypairs", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var all = await keyPairs.ListAsync(ctx, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { keypairs = all.Select(k => new { keypair = Fields(k) }) }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-keypairs/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var pair = await keyPairs.GetAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            var json = Fields(pair);
            json["id"] = pair.Id;
            json["created_at"] = NovaJson.Timestamp(pair.CreatedAt);
            json["deleted"] = false;
            json["deleted_at"] = null;
            json["updated_at"] = null;
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { keypair = json }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/os-keypairs/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            await keyPairs.DeleteAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    /// <summary>Without <c>public_key</c> cloudd generates the pair and returns <c>private_key</c>, which osc requires; 200 as at 2.1.</summary>
    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "keypair");
        var name = NovaJson.String(body, "name") ?? throw Kernel.CloudException.Invalid("Invalid input for field 'name': a key pair name is required.");
        Dictionary<string, object?> json;
        if (NovaJson.String(body, "public_key") is { } publicKey)
        {
            json = Fields(await keyPairs.ImportAsync(ctx, name, publicKey, context.RequestAborted).ConfigureAwait(false));
        }
        else
        {
            var (pair, privateKey) = await keyPairs.CreateAsync(ctx, name, context.RequestAborted).ConfigureAwait(false);
            json = Fields(pair);
            json["private_key"] = privateKey;
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { keypair = json }).ConfigureAwait(false);
    }

    private static Dictionary<string, object?> Fields(KeyPair pair) => new(StringComparer.Ordinal)
    {
        ["name"] = pair.Name,
        ["public_key"] = pair.PublicKey,
        ["fingerprint"] = pair.Fingerprint,
        ["user_id"] = pair.UserId,
    };
}
