using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Architecture;

/// <summary>The rules of <see cref="ModuleBoundaries"/>, one test case per row of the table.</summary>
public sealed partial class BoundaryTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, DeclaredType>> TypesByNamespace =
        ModuleSourceFile.All.SelectMany(f => f.Declared)
            .GroupBy(t => t.Namespace, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, DeclaredType>)g.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(n => n.Key, n => n.First(), StringComparer.Ordinal),
                StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> TableOwners =
        ModuleBoundaries.Rows.SelectMany(r => r.Tables.Select(t => (Table: t, r.Module))).ToDictionary(x => x.Table, x => x.Module, StringComparer.Ordinal);

    private static IEnumerable<string> Modules => ModuleBoundaries.Rows.Select(r => r.Module);

    [Test]
    public void Every_module_folder_has_a_row_and_every_file_its_module_namespace()
    {
        ModuleSourceFile.All.Select(f => f.Module).Distinct().Should().BeSubsetOf(Modules, "every module folder needs a row in ModuleBoundaries");
        ModuleSourceFile.All.Where(f => !f.Namespace.StartsWith($"Cloud.Modules.{f.Module}", StringComparison.Ordinal))
            .Select(f => $"{f.File}: namespace {f.Namespace} is not under Cloud.Modules.{f.Module}")
            .Should().BeEmpty();
    }

    [TestCaseSource(nameof(Modules))]
    public void Module_uses_only_the_contracts_of_the_modules_its_row_allows(string module)
    {
        var row = ModuleBoundaries.Of(module);
        var violations =
            from file in ModuleSourceFile.All.Where(f => f.Module == module)
            from type in ReferencedTypes(file)
            where type.Module != module
            let rule = !row.MayUse.Contains(type.Module) ? $"{module} may not use {type.Module} (its row allows {string.Join(", ", row.MayUse)})"
                : !type.IsContract
                    ? $"{type.Name} is not in {type.Module}'s contract (*Api, *RpcClient, *Flags, *Messages.cs, Messages/)"
                : null
            where rule is not null
            select $"{file.File} references {type.FullName}: {rule}";
        ShouldBeNone(violations);
    }

    [TestCaseSource(nameof(Modules))]
    public void Module_sql_names_only_its_own_tables(string module)
    {
        var violations =
            from file in ModuleFiles(module)
            from Match m in SqlTable().Matches(File.ReadAllText(Path.Combine(SourceTree.Root, file)))
            let table = m.Groups[2].Value
            let owner = TableOwners.GetValueOrDefault(table)
            where owner is not null && owner != module
            select $"{file}: SQL '{m.Value}' names table {table}, owned by {owner}: ask {owner} through its contract";
        ShouldBeNone(violations);
    }

    [TestCaseSource(nameof(Modules))]
    public void Module_creates_only_the_tables_its_row_lists(string module)
    {
        var row = ModuleBoundaries.Of(module);
        var violations =
            from file in ModuleFiles(module)
            from Match m in SqlTable().Matches(File.ReadAllText(Path.Combine(SourceTree.Root, file)))
            where m.Groups[1].Value.StartsWith("TABLE", StringComparison.Ordinal) && !row.Tables.Contains(m.Groups[2].Value)
            select $"{file}: creates table {m.Groups[2].Value}, missing from {module}'s row in ModuleBoundaries";
        ShouldBeNone(violations);
    }

    [TestCaseSource(nameof(Modules))]
    public void Module_drivers_use_no_database_code_and_no_other_driver(string module)
    {
        var violations =
            from file in ModuleSourceFile.All.Where(f => f.Module == module && f.IsUnderDrivers)
            from problem in DatabaseUse(file).Concat(
                from type in ReferencedTypes(file)
                where type.Driver is not null && file.Driver is not null && type.Driver != file.Driver
                select $"references {type.FullName} of driver {type.Driver}: a driver uses no other driver (N311)")
            select $"{file.File} {problem}";
        ShouldBeNone(violations);
    }

    [TestCaseSource(nameof(Modules))]
    public void Module_is_on_no_cycle_of_the_table(string module)
    {
        var path = PathBack(module, module, [module]);
        path.Should().BeNull($"MayUse must point one way, but {(path is null ? "" : string.Join(" -> ", path))}");
    }

    private static void ShouldBeNone(IEnumerable<string> violations)
    {
        var all = violations.Distinct().ToList();
        Assert.That(all, Is.Empty, () => string.Join(Environment.NewLine, all));
    }

    private static IReadOnlyList<string>? PathBack(string from, string target, IReadOnlyList<string> walked)
    {
        foreach (var next in ModuleBoundaries.Of(from).MayUse)
        {
            if (next == target)
            {
                return [.. walked, next];
            }
            if (!walked.Contains(next) && PathBack(next, target, [.. walked, next]) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static IEnumerable<string> DatabaseUse(ModuleSourceFile file)
    {
        if (file.Code.Contains("using Dapper", StringComparison.Ordinal))
        {
            yield return "uses Dapper: drivers never touch the database (N307)";
        }
        foreach (var type in ReferencedTypes(file).Where(t => t.Namespace.EndsWith(".Db", StringComparison.Ordinal)))
        {
            yield return $"references {type.FullName}: drivers never touch the database (N307)";
        }
    }

    /// <summary>Types of Cloud.Modules the file names: simple names from its visible namespaces, and qualified names.</summary>
    private static IEnumerable<DeclaredType> ReferencedTypes(ModuleSourceFile file)
    {
        var found = new HashSet<DeclaredType>();
        foreach (var ns in file.VisibleNamespaces)
        {
            if (TypesByNamespace.TryGetValue(ns, out var types))
            {
                found.UnionWith(types.Values.Where(t => file.Names.Contains(t.Name)));
            }
        }
        foreach (var name in file.QualifiedNames)
        {
            var parts = name.Split('.');
            var skip = name.StartsWith("Cloud.Modules.", StringComparison.Ordinal) ? 2 : 0;
            for (var k = skip + 1; k < parts.Length; k++)
            {
                if (TypesByNamespace.TryGetValue("Cloud.Modules." + string.Join('.', parts[skip..k]), out var types) && types.TryGetValue(parts[k], out var type))
                {
                    found.Add(type);
                }
            }
        }
        found.ExceptWith(file.Declared);
        return found;
    }

    private static IEnumerable<string> ModuleFiles(string module) =>
        SourceTree.Sources($"Cloud.Modules/{module}").Concat(SourceTree.Sources($"Cloud.Modules/{module}", "*.sql"))
            .Select(f => Path.GetRelativePath(SourceTree.Root, f).Replace('\\', '/'));

    [GeneratedRegex(@"\b(FROM|JOIN|INTO|UPDATE|TABLE(?: IF NOT EXISTS)?)\s+`?([a-z_]+)\b")]
    private static partial Regex SqlTable();
}
