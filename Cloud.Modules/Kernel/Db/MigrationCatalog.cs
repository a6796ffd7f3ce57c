using System.Reflection;
using System.Text.RegularExpressions;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Every migration embedded in cloudd, in version order. Versions are global across modules (like nova's
/// single <c>db version</c>), so each number has one name; its scripts may sit in several modules' folders, each naming
/// only that module's tables, and run together. Both dialects must be covered.
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
        var scripts = new HashSet<(int Version, string Folder, SqlDialect Dialect)>();
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
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
                // One version may hold a script in each module it touches (each module's SQL names only its own
                // tables); they run together, in the order of their resource names.
                if (!scripts.Add((version, resource[..match.Index], dialect)))
                {
                    throw new InvalidOperationException($"Migration {version:0000}_{name} has two scripts for {dialect}.");
                }
                entry.Sql[dialect] = entry.Sql.TryGetValue(dialect, out var earlier) ? earlier.TrimEnd() + "\n" + sql : sql;
            }
        }
        return byVersion.Select(kv => new Migration(kv.Key, kv.Value.Name, kv.Value.Sql)).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+?)(\.(?<dialect>mysql|sqlite))?\.sql$")]
    private static partial Regex ResourceName();
}
