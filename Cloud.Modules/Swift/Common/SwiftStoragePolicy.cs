namespace Cloud.Modules.Swift.Common;

/// <summary>One of swift.conf's <c>[storage-policy:N]</c>: its index (the object ring <c>object[-N].ring.gz</c>), name and aliases.</summary>
public sealed record SwiftStoragePolicy(int Index, string Name, IReadOnlyList<string> Aliases, bool IsDefault)
{
    /// <summary>Whether a client's X-Storage-Policy names this policy (names compare case-insensitively, as in swift).</summary>
    public bool IsNamed(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);
}
