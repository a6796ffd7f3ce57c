using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>/v2.1/flavors/{id}/os-extra_specs</c>: everyone who sees the flavor reads them; admins create (merge), update one
/// key and delete, with nova's schema (keys of <c>[a-zA-Z0-9-_:. ]</c>, values up to 255) and, from 2.86, its validators.
/// </summary>
public sealed partial class FlavorExtraSpecsRoutes(NovaCaller caller, FlavorApi flavors) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/flavors/{id}/os-extra_specs", async context =>
        {
            var specs = await SpecsAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { extra_specs = specs }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/flavors/{id}/os-extra_specs/{key}", async context =>
        {
            var specs = await SpecsAsync(context).ConfigureAwait(false);
            var key = NovaCaller.Route(context, "key");
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, string>
            {
                [key] = specs.TryGetValue(key, out var value) ? value : throw NoSuchKey(context, key),
            }).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/flavors/{id}/os-extra_specs", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
            if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "extra_specs") is { } extra)
            {
                throw CloudException.Invalid($"Additional properties are not allowed ('{extra}' was unexpected)");
            }
            NovaPolicy.RequireAdmin(ctx, "os-flavor-extra-specs:create");
            var specs = Parse(context, NovaJson.Member(body, "extra_specs"));
            await flavors.SetExtraSpecsAsync(ctx, NovaCaller.Route(context), specs, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { extra_specs = specs }).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/flavors/{id}/os-extra_specs/{key}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
            var count = body.EnumerateObject().Count();
            if (count != 1)
            {
                throw NovaSchema.Invalid("extra_specs", body.GetRawText(), count == 0 ? "{} does not have enough properties" : $"{body.GetRawText()} has too many properties");
            }
            NovaPolicy.RequireAdmin(ctx, "os-flavor-extra-specs:update");
            var specs = Parse(context, body);
            if (!specs.ContainsKey(NovaCaller.Route(context, "key")))
            {
                throw CloudException.Invalid("Request body and URI mismatch");
            }
            await flavors.SetExtraSpecsAsync(ctx, NovaCaller.Route(context), specs, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, specs).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/flavors/{id}/os-extra_specs/{key}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            NovaPolicy.RequireAdmin(ctx, "os-flavor-extra-specs:delete");
            await flavors.DeleteExtraSpecAsync(ctx, NovaCaller.Route(context), NovaCaller.Route(context, "key"), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status200OK);
        });
    }

    private async Task<IReadOnlyDictionary<string, string>> SpecsAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var flavor = await flavors.GetVisibleAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        return await flavors.ExtraSpecsAsync(flavor, context.RequestAborted).ConfigureAwait(false);
    }

    private static CloudException NoSuchKey(HttpContext context, string key) =>
        CloudException.NotFound($"Flavor {NovaCaller.Route(context)} has no extra specs with key {key}.");

    /// <summary>nova's metadata schema with numbers allowed as values (kept as their text).</summary>
    private static Dictionary<string, string> Parse(HttpContext context, JsonElement specs)
    {
        var validate = NovaVersions.Of(context).AtLeast(86);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs.EnumerateObject())
        {
            if (!KeyPattern().IsMatch(spec.Name))
            {
                throw CloudException.Invalid($"Additional properties are not allowed ('{spec.Name}' was unexpected)");
            }
            var value = spec.Value.ValueKind switch
            {
                JsonValueKind.String => spec.Value.GetString()!,
                JsonValueKind.Number => spec.Value.GetRawText(),
                _ => throw NovaSchema.Invalid(spec.Name, spec.Value.GetRawText(), $"{spec.Value.GetRawText()} is not of type 'string', 'number'"),
            };
            if (value.Length > 255)
            {
                throw spec.Value.ValueKind == JsonValueKind.Number
                    ? CloudException.Invalid("extra_specs value has more than 255 characters.")
                    : NovaSchema.Invalid(spec.Name, value, $"'{value}' is too long");
            }
            if (validate)
            {
                FlavorExtraSpecRules.Check(spec.Name, value);
            }
            result[spec.Name] = value;
        }
        return result;
    }

    [GeneratedRegex("^[a-zA-Z0-9-_:. ]{1,255}$")]
    private static partial Regex KeyPattern();
}
