namespace Cloud.Modules.Kernel.Host;

/// <summary>
/// A command line as it may be logged or put in an error message: the value of a secret-bearing option
/// (<c>--password X</c>, <c>--password=X</c>, e.g. tgtadm's CHAP account) is replaced by <c>***</c>, because command lines
/// end up in logs, exceptions and fault reasons that tenants and operators read.
/// </summary>
public static class CommandLineText
{
    private const string Hidden = "***";

    private static readonly string[] SecretOptions = ["--password", "--passwd", "--secret"];

    /// <summary>The arguments joined with spaces, secrets hidden.</summary>
    public static string Of(IEnumerable<string> arguments)
    {
        var shown = new List<string>();
        var hideNext = false;
        foreach (var argument in arguments)
        {
            if (hideNext)
            {
                shown.Add(Hidden);
                hideNext = false;
                continue;
            }
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsSecretOption(argument[..equals]))
            {
                shown.Add($"{argument[..equals]}={Hidden}");
                continue;
            }
            hideNext = IsSecretOption(argument);
            shown.Add(argument);
        }
        return string.Join(' ', shown);
    }

    private static bool IsSecretOption(string argument) => SecretOptions.Contains(argument, StringComparer.Ordinal);
}
