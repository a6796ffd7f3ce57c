using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Architecture;

/// <summary>Source rules that keep the modules apart (nova's hacking checks), read from the source tree.</summary>
public sealed partial class ArchitectureTests
{
    private static string Root => SourceTree.Root;

    private static IEnumerable<string> Sources(string under) => SourceTree.Sources(under);

    [Test]
    public void The_kernel_references_no_module()
    {
        var offenders = Sources("Cloud.Modules/Kernel")
            .Where(f => ModuleUsing().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root, f));
        offenders.Should().BeEmpty();
    }

    [Test]
    public void Drivers_never_touch_the_database()
    {
        var offenders = Sources("Cloud.Modules")
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}Drivers{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Cloud.Modules.Kernel.Db", StringComparison.Ordinal) || File.ReadAllText(f).Contains("using Dapper", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f));
        offenders.Should().BeEmpty();
    }

    [Test]
    public void Sql_is_never_built_by_string_interpolation_of_values()
    {
        // Dapper parameters only: an interpolated string handed to Execute/Query is how injection gets in.
        var offenders = Sources("Cloud.Modules")
            .Where(f => InterpolatedSql().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root, f));
        offenders.Should().BeEmpty();
    }

    [Test]
    public void Source_files_stay_small()
    {
        var large = Sources("Cloud.Modules").Concat(Sources("Cloud.Host"))
            .Where(f => File.ReadLines(f).Count() > 800)
            .Select(f => Path.GetRelativePath(Root, f));
        large.Should().BeEmpty("files past 800 lines are split by collaborator");
    }

    [Test]
    public void Pooled_connections_carry_no_session_state()
    {
        // MariaDB sessions go back to the pool without a reset (MySqlConnectionFactory), so nothing may leave state on
        // one: no session variables, user variables, temporary tables, table locks, isolation levels other than the
        // server's. db sync's named lock is the one exception, always released (MigrationRunner).
        var offenders = Sources("Cloud.Modules")
            .Where(f => !f.EndsWith($"Db{Path.DirectorySeparatorChar}MigrationQueries.cs", StringComparison.Ordinal))
            .Where(f => SessionState().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root, f));
        offenders.Should().BeEmpty();
    }

    [GeneratedRegex(@"\bSET\s+(SESSION|@|NAMES|CHARACTER|autocommit|time_zone|sql_mode|max_|innodb_|foreign_key)|@\w+\s*:=|TEMPORARY\s+TABLE|LOCK\s+TABLES|GET_LOCK|IsolationLevel\.", RegexOptions.IgnoreCase)]
    private static partial Regex SessionState();

    [GeneratedRegex(@"using Cloud\.Modules\.(?!Kernel)")]
    private static partial Regex ModuleUsing();

    [GeneratedRegex(@"(Execute|Query)\w*Async\(\s*\$""")]
    private static partial Regex InterpolatedSql();
}
