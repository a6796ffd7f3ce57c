namespace Cloud.Tests.Architecture;

/// <summary>The repository's source files, found from the test's output directory (the folder holding cloud.sln).</summary>
internal static class SourceTree
{
    public static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "cloud.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cloud.sln not found above the test directory");
    }

    /// <summary>The files with <paramref name="extension"/> under <paramref name="under"/>, build output left out.</summary>
    public static IEnumerable<string> Sources(string under, string extension = "*.cs") =>
        Directory.EnumerateFiles(Path.Combine(Root, under), extension, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
}
