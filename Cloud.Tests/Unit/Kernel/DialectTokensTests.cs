using Cloud.Modules.Kernel.Db;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class DialectTokensTests
{
    private const string Table = "CREATE TABLE t (\n    id {{autoincrement_pk}}\n){{table_options}};";

    [Test]
    public void Tokens_are_spelled_for_each_dialect()
    {
        DialectTokens.Render(Table, SqlDialect.MySql)
            .Should().Be("CREATE TABLE t (\n    id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;");
        DialectTokens.Render(Table, SqlDialect.Sqlite)
            .Should().Be("CREATE TABLE t (\n    id INTEGER PRIMARY KEY AUTOINCREMENT\n);");
    }

    [Test]
    public void An_unknown_token_is_refused_by_name() =>
        ((Action)(() => DialectTokens.Render("id {{autoincrement}}", SqlDialect.Sqlite)))
            .Should().Throw<InvalidOperationException>().WithMessage("*{{autoincrement}}*autoincrement_pk*");

    [Test]
    public void Every_embedded_migration_is_spelled_out_for_both_dialects()
    {
        foreach (var migration in MigrationCatalog.All)
        {
            migration.SqlFor(SqlDialect.MySql).Should().NotContain("{{");
            migration.SqlFor(SqlDialect.Sqlite).Should().NotContain("{{");
        }
    }
}
