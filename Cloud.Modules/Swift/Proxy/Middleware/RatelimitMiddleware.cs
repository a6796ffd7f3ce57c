using System.Collections.Concurrent;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>ratelimit</c>: a blacklisted account is refused (497 "Your account has been blacklisted"); container
/// PUTs/DELETEs per account (<c>swift_account_ratelimit</c>), object writes per container and container listings are
/// held to their rates (by container size: <c>swift_container_ratelimits</c>, <c>swift_container_listing_ratelimits</c>)
/// by making the request wait, and one that would wait <c>swift_max_sleep_time_seconds</c> or more is refused (498 "Slow
/// down"). With no limits set (the default, as swift's) it does nothing. Its running times are this proxy's own: swift
/// keeps them in memcache, shared by its proxies, so with several proxies each allows the rate.
/// </summary>
public sealed class RatelimitMiddleware(IOptions<SwiftWebFlags> flags, SwiftRings rings, SwiftBackend backend, ILogger<RatelimitMiddleware> log)
    : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public const string FilterName = "ratelimit";

    private const int ClockAccuracy = 1000;

    private static readonly TimeSpan BlacklistSleep = TimeSpan.FromSeconds(1);

    private readonly SwiftWebFlags _flags = flags.Value;

    private readonly IReadOnlyList<(long Size, double Rate)> _containerLimits = SwiftWebFlags.Ratelimits(flags.Value.SwiftContainerRatelimits);

    private readonly IReadOnlyList<(long Size, double Rate)> _listingLimits = SwiftWebFlags.Ratelimits(flags.Value.SwiftContainerListingRatelimits);

    private readonly HashSet<string> _whitelist = [.. SwiftWebFlags.List(flags.Value.SwiftAccountWhitelist)];

    private readonly HashSet<string> _blacklist = [.. SwiftWebFlags.List(flags.Value.SwiftAccountBlacklist)];

    // Key -> the running time (ms) by which the requests let through so far will have been spread at the key's rate.
    private readonly ConcurrentDictionary<string, long> _running = new(StringComparer.Ordinal);

    /// <summary>Its /info entry, as swift's: the account rate, the longest wait and the configured (size, rate) pairs.</summary>
    public Dictionary<string, object> Capabilities => new()
    {
        ["account_ratelimit"] = _flags.SwiftAccountRatelimit,
        ["max_sleep_time_seconds"] = _flags.SwiftMaxSleepTimeSeconds,
        ["container_ratelimits"] = _containerLimits.Select(l => new object[] { l.Size, l.Rate }).ToArray(),
        ["container_listing_ratelimits"] = _listingLimits.Select(l => new object[] { l.Size, l.Rate }).ToArray(),
    };

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (_whitelist.Contains(request.Account))
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (_blacklist.Contains(request.Account))
        {
            log.LogError("Returning 497 because of blacklisting: {Account}", request.Account);
            await Task.Delay(BlacklistSleep, request.Aborted).ConfigureAwait(false);
            await SwiftProxyReply.ErrorAsync(request.Context, 497, "Your account has been blacklisted").ConfigureAwait(false);
            return;
        }
        foreach (var (key, rate) in await KeysAsync(request).ConfigureAwait(false))
        {
            if (SleepFor(key, rate) is not { } sleep)
            {
                log.LogError("Returning 498 for {Method} to {Account}/{Container}/{Object}: ratelimit (max sleep) exceeded", request.Method, request.Account, request.Container, request.Object);
                await SwiftProxyReply.ErrorAsync(request.Context, 498, "Slow down").ConfigureAwait(false);
                return;
            }
            if (_flags.SwiftLogSleepTimeSeconds > 0 && sleep.TotalSeconds > _flags.SwiftLogSleepTimeSeconds)
            {
                log.LogWarning("Ratelimit sleep log: {Sleep} for {Account}/{Container}/{Object}", sleep.TotalSeconds, request.Account, request.Container, request.Object);
            }
            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, request.Aborted).ConfigureAwait(false);
            }
        }
        await next(request).ConfigureAwait(false);
    }

    /// <summary>swift's <c>get_ratelimitable_key_tuples</c>: which rates this request counts against.</summary>
    private async Task<List<(string Key, double Rate)>> KeysAsync(SwiftProxyRequest request)
    {
        var keys = new List<(string, double)>();
        if (request.Container is null)
        {
            return keys;
        }
        var write = request.Method is "PUT" or "DELETE" or "POST" or "COPY";
        if (_flags.SwiftAccountRatelimit > 0 && request.Object is null && request.Method is "PUT" or "DELETE")
        {
            keys.Add(($"ratelimit/{request.Account}", _flags.SwiftAccountRatelimit));
        }
        var limits = request.Object is not null && write ? _containerLimits : request.Object is null && request.Method == "GET" ? _listingLimits : [];
        if (limits.Count > 0)
        {
            var size = (await ProxyContainerInfo.GetAsync(rings, backend, request).ConfigureAwait(false)).ObjectCount;
            if (MaxRate(limits, size) is { } rate and > 0)
            {
                keys.Add(((request.Object is null ? "ratelimit_listing/" : "ratelimit/") + $"{request.Account}/{request.Container}", rate));
            }
        }
        return keys;
    }

    /// <summary>swift's <c>get_maxrate</c>: the rate of the largest configured size not above <paramref name="size"/>, interpolated towards the next.</summary>
    private static double? MaxRate(IReadOnlyList<(long Size, double Rate)> limits, long size)
    {
        if (size == 0)
        {
            return null;
        }
        double? rate = null;
        for (var i = 0; i < limits.Count && size >= limits[i].Size; i++)
        {
            var (from, fromRate) = limits[i];
            rate = i + 1 < limits.Count
                ? (size - from) * ((limits[i + 1].Rate - fromRate) / (limits[i + 1].Size - from)) + fromRate
                : fromRate;
        }
        return rate;
    }

    /// <summary>swift's <c>_get_sleep_time</c>: how long to hold the request back, or null when it is to be refused.</summary>
    private TimeSpan? SleepFor(string key, double rate)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var perRequest = (long)Math.Round(ClockAccuracy / rate);
        var running = _running.AddOrUpdate(key, perRequest, (_, previous) => previous + perRequest);
        long sleep = 0;
        if (now - running > _flags.SwiftRateBufferSeconds * ClockAccuracy)
        {
            _running[key] = now + perRequest;
        }
        else
        {
            sleep = Math.Max(running - now - perRequest, 0);
        }
        if (_flags.SwiftMaxSleepTimeSeconds * ClockAccuracy - sleep <= ClockAccuracy * 0.01)
        {
            _running.AddOrUpdate(key, 0, (_, previous) => previous - perRequest);
            return null;
        }
        return TimeSpan.FromMilliseconds(sleep);
    }
}
