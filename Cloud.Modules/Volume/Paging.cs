using Cloud.Modules.Kernel;

namespace Cloud.Modules.Volume;

/// <summary>Cinder's marker/limit paging over an ordered list.</summary>
internal static class Paging
{
    public static IReadOnlyList<T> Page<T>(IReadOnlyList<T> items, Func<T, string> idOf, string? marker, int? limit)
    {
        if (limit is < 0)
        {
            throw CloudException.Invalid("Invalid input received: limit must be >= 0");
        }
        var start = 0;
        if (marker is not null)
        {
            var index = items.Select(idOf).ToList().IndexOf(marker);
            start = index >= 0 ? index + 1 : throw CloudException.NotFound($"Marker {marker} could not be found.");
        }
        return items.Skip(start).Take(limit ?? int.MaxValue).ToList();
    }
}
