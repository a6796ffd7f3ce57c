using System.ComponentModel;
using System.Globalization;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Flags of the proxy's web-facing middlewares, named after their options in swift's proxy-server.conf:
/// domain_remap's [filter:domain_remap], the proxy app's CORS options, and ratelimit's [filter:ratelimit].
/// </summary>
public sealed class SwiftWebFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_storage_domain")]
    [Description("domain_remap's storage_domain: comma-separated domains under which a Host <container>.<account>.<domain> or <account>.<domain> is served as /v1/<account>[/<container>]; empty: no remapping.")]
    public string SwiftStorageDomain { get; set; } = "";

    [ConfigurationKeyName("swift_reseller_prefixes")]
    [Description("domain_remap's reseller_prefixes: comma-separated account prefixes a remapped host's account may carry (auth-test becomes AUTH_test).")]
    public string SwiftResellerPrefixes { get; set; } = "AUTH";

    [ConfigurationKeyName("swift_default_reseller_prefix")]
    [Description("domain_remap's default_reseller_prefix: prefix given to a remapped host's account that carries none of swift_reseller_prefixes; empty: such a host is not remapped.")]
    public string SwiftDefaultResellerPrefix { get; set; } = "";

    [ConfigurationKeyName("swift_path_root")]
    [Description("domain_remap's path_root: the API version a remapped path is put under.")]
    public string SwiftPathRoot { get; set; } = "v1";

    [ConfigurationKeyName("swift_strict_cors_mode")]
    [Description("strict_cors_mode: answer an actual CORS request's Access-Control-* headers only to an allowed Origin (else to any).")]
    public bool SwiftStrictCorsMode { get; set; } = true;

    [ConfigurationKeyName("swift_cors_allow_origin")]
    [Description("cors_allow_origin: comma-separated origins allowed on every container, besides its X-Container-Meta-Access-Control-Allow-Origin.")]
    public string SwiftCorsAllowOrigin { get; set; } = "";

    [ConfigurationKeyName("swift_cors_expose_headers")]
    [Description("cors_expose_headers: comma-separated headers added to every CORS answer's Access-Control-Expose-Headers.")]
    public string SwiftCorsExposeHeaders { get; set; } = "";

    [ConfigurationKeyName("swift_account_ratelimit")]
    [Description("ratelimit's account_ratelimit: container PUTs/DELETEs per second an account may make (0: no limit).")]
    public double SwiftAccountRatelimit { get; set; }

    [ConfigurationKeyName("swift_container_ratelimits")]
    [Description("ratelimit's container_ratelimit_<size> options: comma-separated <container size>:<object writes per second>, e.g. 100:100,1000:50; a container of that many objects or more is held to the rate (interpolated between sizes).")]
    public string SwiftContainerRatelimits { get; set; } = "";

    [ConfigurationKeyName("swift_container_listing_ratelimits")]
    [Description("ratelimit's container_listing_ratelimit_<size> options: comma-separated <container size>:<listings per second>.")]
    public string SwiftContainerListingRatelimits { get; set; } = "";

    [ConfigurationKeyName("swift_max_sleep_time_seconds")]
    [Description("ratelimit's max_sleep_time_seconds: a request that would wait longer than this is refused with 498 Slow down.")]
    public double SwiftMaxSleepTimeSeconds { get; set; } = 60;

    [ConfigurationKeyName("swift_log_sleep_time_seconds")]
    [Description("ratelimit's log_sleep_time_seconds: log a request held back longer than this (0: never).")]
    public double SwiftLogSleepTimeSeconds { get; set; }

    [ConfigurationKeyName("swift_rate_buffer_seconds")]
    [Description("ratelimit's rate_buffer_seconds: how far behind its rate a client may fall and then burst.")]
    public int SwiftRateBufferSeconds { get; set; } = 5;

    [ConfigurationKeyName("swift_account_whitelist")]
    [Description("ratelimit's account_whitelist: comma-separated accounts never rate limited.")]
    public string SwiftAccountWhitelist { get; set; } = "";

    [ConfigurationKeyName("swift_account_blacklist")]
    [Description("ratelimit's account_blacklist: comma-separated accounts refused every request (497 Your account has been blacklisted).")]
    public string SwiftAccountBlacklist { get; set; } = "";

    /// <summary>Splits a comma-separated flag as swift's <c>list_from_csv</c>: trimmed, empty items dropped.</summary>
    public static IReadOnlyList<string> List(string value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses <c>size:rate,...</c> into (size, rate) pairs sorted by size.</summary>
    /// <exception cref="FormatException">An item is not two non-negative numbers.</exception>
    public static IReadOnlyList<(long Size, double Rate)> Ratelimits(string value) =>
        List(value).Select(item =>
        {
            var parts = item.Split(':', 2);
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate)
                ? (size, rate)
                : throw new FormatException($"'{item}' is not <container size>:<rate>");
        }).OrderBy(p => p.Item1).ToList();

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SwiftAccountRatelimit >= 0, "swift_account_ratelimit", SwiftAccountRatelimit, "must be 0 (no limit) or a positive rate");
        FlagError.Require(SwiftMaxSleepTimeSeconds >= 0, "swift_max_sleep_time_seconds", SwiftMaxSleepTimeSeconds, "must not be negative");
        FlagError.Require(SwiftLogSleepTimeSeconds >= 0, "swift_log_sleep_time_seconds", SwiftLogSleepTimeSeconds, "must not be negative");
        FlagError.Require(SwiftRateBufferSeconds >= 0, "swift_rate_buffer_seconds", SwiftRateBufferSeconds, "must not be negative");
        FlagError.Require(SwiftPathRoot.Trim('/').Length > 0, "swift_path_root", SwiftPathRoot, "must name the API version, e.g. v1");
        foreach (var (name, value) in new[] { ("swift_container_ratelimits", SwiftContainerRatelimits), ("swift_container_listing_ratelimits", SwiftContainerListingRatelimits) })
        {
            try
            {
                _ = Ratelimits(value);
            }
            catch (FormatException e)
            {
                throw FlagError.Invalid(name, value, e.Message);
            }
        }
    }
}
