using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// The parts of a storage-server path (<c>/device/partition/account[/container[/object]]</c>), split like swift's
/// split_path on the raw target so that names keep their slashes and percent-encoded characters.
/// </summary>
internal sealed class ContainerRequestPath
{
    public required string Device { get; init; }

    public required string Partition { get; init; }

    public required string Account { get; init; }

    public string? Container { get; init; }

    public string? Object { get; init; }

    /// <summary>Splits the request path into at least <paramref name="min"/> and at most <paramref name="max"/> parts.</summary>
    /// <param name="context">The request.</param>
    /// <param name="min">Fewest parts (3: account, 4: container).</param>
    /// <param name="max">Most parts.</param>
    /// <param name="restWithLast">Whether the last part takes the rest of the path, slashes and all (object names).</param>
    public static ContainerRequestPath Parse(HttpContext context, int min, int max, bool restWithLast)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        if (!path.StartsWith('/'))
        {
            throw Invalid(path);
        }
        var parts = path[1..].Split('/', restWithLast ? max : int.MaxValue);
        if (parts.Length < min || parts.Length > max)
        {
            throw Invalid(path);
        }
        var decoded = parts.Select(Uri.UnescapeDataString).ToArray();
        // Every part but an object name's tail must be there; an empty object name means none.
        for (var i = 0; i < decoded.Length; i++)
        {
            var isRest = restWithLast && i == max - 1;
            if ((decoded[i].Length == 0 && !isRest) || decoded[i].Contains('\0', StringComparison.Ordinal))
            {
                throw Invalid(path);
            }
        }
        if (!decoded[1].All(char.IsAsciiDigit))
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid partition: {decoded[1]}");
        }
        return new ContainerRequestPath
        {
            Device = decoded[0],
            Partition = decoded[1],
            Account = decoded[2],
            Container = decoded.Length > 3 ? decoded[3] : null,
            Object = decoded.Length > 4 && decoded[4].Length > 0 ? decoded[4] : null,
        };
    }

    private static ContainerHttpException Invalid(string path) =>
        new(StatusCodes.Status400BadRequest, $"Invalid path: {path}");
}
