using System.Text.RegularExpressions;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The extra spec checks nova applies from 2.86 (<c>nova/api/validation/extra_specs</c>), for the specs operators set
/// most: CPU and memory placement, quotas, traits and resources, with nova's messages. Keys this table does not know
/// pass, where nova also refuses an unknown key inside one of its namespaces.
/// </summary>
public static partial class FlavorExtraSpecRules
{
    private static readonly Dictionary<string, string[]> Enums = new(StringComparer.Ordinal)
    {
        ["hw:cpu_policy"] = ["dedicated", "shared", "mixed"],
        ["hw:cpu_thread_policy"] = ["prefer", "isolate", "require"],
        ["hw:emulator_threads_policy"] = ["share", "isolate"],
        ["hw:watchdog_action"] = ["disabled", "pause", "poweroff", "reset", "none"],
        ["hw:mem_encryption"] = ["True", "true", "False", "false", "1", "0", "yes", "no", "on", "off", "y", "n", "t", "f"],
    };

    private static readonly Dictionary<string, long> Integers = new(StringComparer.Ordinal)
    {
        ["hw:numa_nodes"] = 1,
        ["hw:cpu_sockets"] = 1,
        ["hw:cpu_cores"] = 1,
        ["hw:cpu_threads"] = 1,
        ["hw:cpu_max_sockets"] = 1,
        ["hw:cpu_max_cores"] = 1,
        ["hw:cpu_max_threads"] = 1,
    };

    /// <summary>Throws nova's 400 for a value its validator refuses.</summary>
    public static void Check(string name, string value)
    {
        if (Enums.TryGetValue(name, out var allowed) && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw CloudException.Invalid($"Validation failed; '{value}' is not one of: {string.Join(", ", allowed)}.");
        }
        if (Integers.TryGetValue(name, out var minimum) || name.StartsWith("quota:", StringComparison.Ordinal) || ResourcePattern().IsMatch(name))
        {
            minimum = Integers.GetValueOrDefault(name, 0);
            if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                throw CloudException.Invalid($"Validation failed; '{value}' is not a valid integer value.");
            }
            if (number < minimum)
            {
                throw CloudException.Invalid($"Validation failed; '{value}' is less than the min value of '{minimum}'.");
            }
        }
        if (name == "hw:mem_page_size" && !PageSizePattern().IsMatch(value))
        {
            throw CloudException.Invalid($"Validation failed; '{value}' is not of the format '(large|small|any|\\d+([kKMGT]i?)?(b|bit|B)?)'.");
        }
        if (TraitPattern().IsMatch(name) && value is not ("required" or "forbidden"))
        {
            throw CloudException.Invalid($"Validation failed; '{value}' is not one of: required, forbidden.");
        }
    }

    [GeneratedRegex("^resources([a-zA-Z0-9_-]{1,64})?:.+$")]
    private static partial Regex ResourcePattern();

    [GeneratedRegex("^trait([a-zA-Z0-9_-]{1,64})?:.+$")]
    private static partial Regex TraitPattern();

    [GeneratedRegex(@"^(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)$")]
    private static partial Regex PageSizePattern();
}
