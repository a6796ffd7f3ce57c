using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Glance.Cache;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd manage image-cache index|invalid|incomplete|prefetching|prefetch|purge|clear|reap-invalid|reap-stalled|prune</c>:
/// the seed's glance cache-* commands (glance-cache-manage, -reaper, -pruner) on this host's cache (--image_cache_dir).
/// </summary>
public static class ManageImageCacheCommand
{
    private static readonly Argument<string> ImageId = new("id") { Description = "Image id" };
    private static readonly Option<bool> Now = new("--now") { Description = "Fetch the image into the cache now, from this host's registry and store" };
    private static readonly Option<int?> Grace = new("--grace") { Description = "Only files older than this many seconds" };

    public static Command Create()
    {
        var cache = new Command("image-cache", "The image cache of this host (the seed's glance cache-* commands).");
        cache.Subcommands.Add(Listing("index", "List cached images.", async (images, ct) =>
        {
            var cached = await images.ListCachedAsync(ct).ConfigureAwait(false);
            Table("cached images", ["ID", "Last Accessed", "Last Modified", "Size", "Hits"], cached.Select(i => (IReadOnlyList<string>)
                [i.ImageId, Time(i.LastAccessed), Time(i.LastModified), Number(i.Size), Number(i.Hits)]).ToList());
        }));
        cache.Subcommands.Add(Listing("invalid", "List cached files whose checksum did not match.", (images, _) => Files(images.ListInvalid(), "invalid cached images")));
        cache.Subcommands.Add(Listing("incomplete", "List downloads into the cache in progress (or stalled).", (images, _) => Files(images.ListIncomplete(), "incomplete cached images")));
        cache.Subcommands.Add(Listing("prefetching", "List images queued for prefetching.", (images, _) =>
        {
            Table("queued images", ["ID", "Queued At"], images.ListQueued().Select(q => (IReadOnlyList<string>)[q.ImageId, Time(q.LastModified)]).ToList());
            return Task.CompletedTask;
        }));

        var prefetch = new Command("prefetch", "Queue an image for the glance role's prefetcher (or, with --now, cache it at once).") { ImageId, Now };
        ToolHost.SetAction(prefetch, async (parse, services, ct) =>
        {
            var id = parse.GetRequiredValue(ImageId);
            if (parse.GetValue(Now))
            {
                // From this host's registry and stores, as the glance role's periodic prefetcher would.
                Console.WriteLine(await services.GetRequiredService<ImageCachePrefetcher>().PrefetchAsync(id, ct).ConfigureAwait(false)
                    ? $"Cached image {id}"
                    : $"Image {id} is already cached");
                return 0;
            }
            Console.WriteLine(await Cache(services).QueueAsync(id, ct).ConfigureAwait(false)
                ? $"Queued image {id} for caching"
                : $"Image {id} is already cached");
            return 0;
        });

        var purge = new Command("purge", "Remove an image from the cache (and from the prefetch queue).") { ImageId };
        ToolHost.SetAction(purge, async (parse, services, ct) =>
        {
            var id = parse.GetRequiredValue(ImageId);
            if (!await Cache(services).DeleteAsync(id, ct).ConfigureAwait(false))
            {
                throw new OperatorException($"image {id} is neither cached nor queued");
            }
            Console.WriteLine($"Purged image {id} from the cache");
            return 0;
        });

        var clear = new Command("clear", "Remove every cached image.");
        ToolHost.SetAction(clear, async (_, services, ct) =>
        {
            Console.WriteLine($"Deleted {await Cache(services).ClearAsync(ct).ConfigureAwait(false)} cached images");
            return 0;
        });

        var reapInvalid = new Command("reap-invalid", "Delete cached files whose checksum did not match.") { Grace };
        ToolHost.SetAction(reapInvalid, (parse, services, _) =>
        {
            Console.WriteLine($"Reaped {Cache(services).ReapInvalid(GraceOf(parse))} invalid cached images");
            return Task.FromResult(0);
        });

        var reapStalled = new Command("reap-stalled", "Delete downloads into the cache untouched for image_cache_stall_time (or --grace) seconds.") { Grace };
        ToolHost.SetAction(reapStalled, (parse, services, _) =>
        {
            Console.WriteLine($"Reaped {Cache(services).ReapStalled(GraceOf(parse))} stalled incomplete images");
            return Task.FromResult(0);
        });

        var prune = new Command("prune", "Evict least recently used images until the cache is within image_cache_max_size.");
        ToolHost.SetAction(prune, async (_, services, ct) =>
        {
            var images = Cache(services);
            var result = await images.PruneAsync(ct).ConfigureAwait(false);
            Console.WriteLine($"Pruned {result.Evicted} images ({Number(result.BytesFreed)} bytes); the cache holds {Number(result.SizeLeft)} of {Number(images.MaxSize)} bytes");
            return 0;
        });

        foreach (var command in new[] { prefetch, purge, clear, reapInvalid, reapStalled, prune })
        {
            cache.Subcommands.Add(command);
        }
        return cache;
    }

    private static Command Listing(string name, string description, Func<ImageCache, CancellationToken, Task> print)
    {
        var command = new Command(name, description);
        ToolHost.SetAction(command, async (_, services, ct) =>
        {
            await print(Cache(services), ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static ImageCache Cache(IServiceProvider services) => services.GetRequiredService<ImageCache>();

    private static TimeSpan? GraceOf(ParseResult parse) => parse.GetValue(Grace) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static Task Files(IReadOnlyList<CacheEntryFile> files, string what)
    {
        Table(what, ["ID", "Last Modified", "Size"], files.Select(f => (IReadOnlyList<string>)[f.ImageId, Time(f.LastModified), Number(f.Size)]).ToList());
        return Task.CompletedTask;
    }

    /// <summary>As glance-cache-manage: "Found N cached images..." and the table, or "No cached images." alone.</summary>
    private static void Table(string what, IReadOnlyList<string> header, List<IReadOnlyList<string>> rows)
    {
        if (rows.Count == 0)
        {
            Console.WriteLine($"No {what}.");
            return;
        }
        Console.WriteLine($"Found {rows.Count} {what}...");
        TextTable.Write(Console.Out, header, rows);
    }

    private static string Time(double unixSeconds) => Time(DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)));

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
