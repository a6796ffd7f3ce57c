using System.Text.RegularExpressions;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>Masks secrets that hide inside ordinary values, such as the password in <c>mysql://user:pass@host/db</c>.</summary>
public static partial class Secrets
{
    /// <summary>The key or password the sample configurations carry until the operator sets a generated one; refused at start.</summary>
    public const string Placeholder = "CHANGE_ME";

    public static string MaskUrlPassword(string value) => UrlPassword().Replace(value, "$1***@");

    [GeneratedRegex(@"(\w[\w+.-]*://[^:/@\s]+:)[^@\s]*@")]
    private static partial Regex UrlPassword();
}
