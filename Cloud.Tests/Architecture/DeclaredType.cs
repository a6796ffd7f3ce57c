namespace Cloud.Tests.Architecture;

/// <summary>A top-level type declared in Cloud.Modules, with what the boundary rules need to know about it.</summary>
/// <param name="Name">The type's name.</param>
/// <param name="Namespace">Its namespace; its second segment after Cloud.Modules names the owning module.</param>
/// <param name="File">The declaring file, relative to the repository.</param>
public sealed record DeclaredType(string Name, string Namespace, string File)
{
    public string Module => Namespace.Split('.')[2];

    public string FullName => $"{Namespace}.{Name}";

    /// <summary>Part of its module's public contract (see <see cref="ModuleBoundaries"/>).</summary>
    public bool IsContract =>
        Module == "Kernel"
        || Name.EndsWith("Api", StringComparison.Ordinal)
        || Name.EndsWith("RpcClient", StringComparison.Ordinal)
        || Name.EndsWith("Flags", StringComparison.Ordinal)
        || File.EndsWith("Messages.cs", StringComparison.Ordinal)
        || File.Contains("/Messages/", StringComparison.Ordinal);

    /// <summary>The driver it belongs to: its folder under Drivers/, itself when a concrete *Driver at the root, else null (the seam).</summary>
    public string? Driver => ModuleSourceFile.DriverOf(File, Name);
}
