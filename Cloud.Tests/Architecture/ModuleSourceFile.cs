using System.Text.RegularExpressions;

namespace Cloud.Tests.Architecture;

/// <summary>One source file of Cloud.Modules, read just enough for the boundary rules (a scan, not a compiler).</summary>
public sealed partial class ModuleSourceFile
{
    private ModuleSourceFile(string file, string text)
    {
        File = file;
        Text = text;
        Code = Comment().Replace(text, "");
        Module = file.Split('/')[1];
        Namespace = NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
        Declared = [.. TopLevelType().Matches(Code).Select(t => new DeclaredType(t.Groups[1].Value, Namespace, file))];
    }

    /// <summary>Path relative to the repository, with forward slashes (e.g. Cloud.Modules/Compute/ComputeApi.cs).</summary>
    public string File { get; }

    /// <summary>The module: the folder under Cloud.Modules.</summary>
    public string Module { get; }

    public string Namespace { get; }

    /// <summary>The whole text (SQL lives in string literals).</summary>
    public string Text { get; }

    /// <summary>The text without comments (a <c>see cref</c> is documentation, not a dependency).</summary>
    public string Code { get; }

    public IReadOnlyList<DeclaredType> Declared { get; }

    /// <summary>The file's driver (see <see cref="DeclaredType.Driver"/>), or null when it is not under Drivers/ or is the seam.</summary>
    public string? Driver => Declared.Select(d => d.Driver).FirstOrDefault(d => d is not null) ?? DriverOf(File, "");

    public bool IsUnderDrivers => File.Contains("/Drivers/", StringComparison.Ordinal);

    public static IReadOnlyList<ModuleSourceFile> All { get; } =
        [.. SourceTree.Sources("Cloud.Modules").Select(f => new ModuleSourceFile(Path.GetRelativePath(SourceTree.Root, f).Replace('\\', '/'), System.IO.File.ReadAllText(f)))];

    /// <summary>Namespaces this file sees without qualification: its own and its parents, its usings.</summary>
    public IEnumerable<string> VisibleNamespaces
    {
        get
        {
            var parts = Namespace.Split('.');
            for (var n = parts.Length; n > 2; n--)
            {
                yield return string.Join('.', parts[..n]);
            }
            foreach (Match u in Using().Matches(Code))
            {
                yield return u.Groups[1].Value;
            }
        }
    }

    /// <summary>Simple names used as types (not after a dot), and dotted names (Network.X, Kernel.Bus.Topic).</summary>
    public IReadOnlySet<string> Names => _names ??= Identifier().Matches(Code).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<string> QualifiedNames => Qualified().Matches(Code).Select(m => m.Value);

    private IReadOnlySet<string>? _names;

    internal static string? DriverOf(string file, string typeName)
    {
        var at = file.IndexOf("/Drivers/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var rest = file[(at + "/Drivers/".Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return file[..(at + "/Drivers/".Length + slash)];
        }
        return typeName.EndsWith("Driver", StringComparison.Ordinal) && !typeName.StartsWith('I') ? $"{file[..at]}/Drivers/{typeName}" : null;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^(?:[a-z]+\s+)*(?:class|record|interface|struct|enum)\s+([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"^using\s+(?:static\s+)?(Cloud\.Modules\.[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"(?<![.\w])[A-Z]\w*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<![.\w])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex Qualified();
}
