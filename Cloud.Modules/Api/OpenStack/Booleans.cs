using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>oslo's strutils.bool_from_string, which nova's query parameters go through.</summary>
public static class Booleans
{
    private static readonly string[] True = ["1", "t", "true", "on", "y", "yes"];

    private static readonly string[] False = ["0", "f", "false", "off", "n", "no"];

    /// <summary>True, false, or null for anything else.</summary>
    public static bool? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        return True.Contains(value) ? true : False.Contains(value) ? false : null;
    }

    /// <summary>The strict form: anything else is nova's 400 "Invalid input received: Unrecognized value ...".</summary>
    public static bool Parse(string name, string text) => TryParse(text) ?? throw CloudException.Invalid(
        $"Invalid input received: Unrecognized value '{text}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
}
