using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Flags;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class DatabaseUrlTests
{
    [Test]
    public void A_seed_style_mysql_url_parses_with_the_default_port()
    {
        var url = DatabaseUrl.Parse("mysql://root:testing@deimos/nova");

        url.Should().Be(new DatabaseUrl(SqlDialect.MySql, "deimos", 3306, "root", "testing", "nova"));
        url.ToString().Should().Be("mysql://root:***@deimos:3306/nova");
    }

    [Test]
    public void Port_query_string_and_escaped_password_are_understood() =>
        DatabaseUrl.Parse("mysql+pymysql://nova:p%40ss@10.0.0.1:13306/nova?charset=utf8")
            .Should().Be(new DatabaseUrl(SqlDialect.MySql, "10.0.0.1", 13306, "nova", "p@ss", "nova"));

    [TestCase("sqlite:////var/lib/cloudd/cloudd.sqlite", "/var/lib/cloudd/cloudd.sqlite")]
    [TestCase("sqlite://", DatabaseUrl.InMemory)]
    public void Sqlite_urls_follow_sqlalchemy(string text, string path) =>
        DatabaseUrl.Parse(text).Database.Should().Be(path);

    [Test]
    public void A_relative_sqlite_path_is_relative_to_the_working_directory() =>
        DatabaseUrl.Parse("sqlite:///state/cloudd.sqlite").Database.Should().Be(Path.GetFullPath("state/cloudd.sqlite"));

    [TestCase("postgres://x@y/z", "unsupported database 'postgres'")]
    [TestCase("mysql://root:secret@deimos/", "names no database")]
    [TestCase("mysql://root:secret@deimos:port/nova", "bad port")]
    [TestCase("deimos/nova", "is not a database URL")]
    public void A_bad_url_is_a_flag_error_that_does_not_show_the_password(string text, string message)
    {
        var error = ((Action)(() => DatabaseUrl.Parse(text))).Should().Throw<FlagException>().Which;
        error.Message.Should().Contain(message).And.NotContain("secret");
    }
}
