using System.Reflection;
using System.Text.RegularExpressions;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Every migration embedded in cloudd, in version order. Versions are global across modules (like nova's
/// single <c>db version</c>), so each number must appear once; both dialects must be covered.
/// </summary>
public static partial class MigrationCatalog
{
    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(() => Load(typeof(MigrationCatalog).Assembly));

    public static IReadOnlyList<Migration> All => Embedded.Value;

    /// <summary>The schema version this build of cloudd needs.</summary>
    public static int Latest => All.Count == 0 ? 0 : All[^1].Version;

    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        var byVersion = new SortedDictionary<int, (string Name, Dictionary<SqlDialect, string> Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var name = match.Groups["name"].Value;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var sql = new StreamReader(stream).ReadToEnd();
            if (!byVersion.TryGetValue(version, out var entry))
            {
                entry = (name, new Dictionary<SqlDialect, string>());
                byVersion[version] = entry;
            }
            else if (entry.Name != name)
            {
                throw new InvalidOperationException($"Migration version {version:0000} is used twice: {entry.Name} and {name}.");
            }
            IEnumerable<SqlDialect> dialects = match.Groups["dialect"].Value switch
            {
                "mysql" => [SqlDialect.MySql],
                "sqlite" => [SqlDialect.Sqlite],
                _ => [SqlDialect.MySql, SqlDialect.Sqlite],
            };
            foreach (var dialect in dialects)
            {
                if (!entry.Sql.TryAdd(dialect, sql))
                {
                    throw new InvalidOperationException($"Migration {version:0000}_{name} has two scripts for {dialect}.");
                }
            }
        }
        return byVersion.Select(kv => new Migration(kv.Key, kv.Value.Name, kv.Value.Sql)).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+?)(\.(?<dialect>mysql|sqlite))?\.sql$")]
    private static partial Regex ResourceName();
}
