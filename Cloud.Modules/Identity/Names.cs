using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>What a user or project name may be: 1-64 printable characters without spaces, slashes or colons.</summary>
internal static class Names
{
    public static void Check(string what, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or ':' or '\\'))
        {
            throw CloudException.Invalid($"'{name}' is not a valid {what} name (1-64 characters, no spaces, slashes or colons)");
        }
    }
}
