using System.Text.RegularExpressions;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>Masks secrets that hide inside ordinary values, such as the password in <c>mysql://user:pass@host/db</c>.</summary>
public static partial class Secrets
{
    public static string MaskUrlPassword(string value) => UrlPassword().Replace(value, "$1***@");

    [GeneratedRegex(@"(\w[\w+.-]*://[^:/@\s]+:)[^@\s]*@")]
    private static partial Regex UrlPassword();
}
