using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// Real services for the test tiers, from environment variables (scripts/test-services.sh writes them).
/// When one is missing, a test is ignored naming the variable, or fails when CLOUD_TEST_REQUIRE=1 (CI).
/// </summary>
public static class TestEnv
{
    public const string MySqlVariable = "CLOUD_TEST_MYSQL";
    public const string AmqpVariable = "CLOUD_TEST_AMQP";
    public const string AmqpRestartVariable = "CLOUD_TEST_AMQP_RESTART";

    private static bool Required => Environment.GetEnvironmentVariable("CLOUD_TEST_REQUIRE") == "1";

    /// <summary>Server URL without a database, e.g. <c>mysql://cloudd:cloudd@127.0.0.1:13406</c>.</summary>
    public static string MySqlServer => Require(MySqlVariable, "mysql://user:pass@host:port").TrimEnd('/');

    /// <summary>e.g. <c>amqp://guest:guest@127.0.0.1:15772/</c>.</summary>
    public static Uri Amqp => new(Require(AmqpVariable, "amqp://user:pass@host:port/"));

    /// <summary>A command that restarts the test RabbitMQ.</summary>
    public static string AmqpRestartCommand => Require(AmqpRestartVariable, "a command that restarts RabbitMQ");

    /// <summary>A fresh database on the test MariaDB, as a --sql_connection URL.</summary>
    public static string NewMySqlDatabase() => $"{MySqlServer}/cloudd_test_{Guid.NewGuid():N}";

    /// <summary>The flags that point cloudd at the test RabbitMQ.</summary>
    public static IReadOnlyList<string> AmqpFlags()
    {
        var amqp = Amqp;
        var user = amqp.UserInfo.Split(':');
        return
        [
            $"--rabbit_host={amqp.Host}",
            $"--rabbit_port={amqp.Port}",
            $"--rabbit_userid={Uri.UnescapeDataString(user[0])}",
            $"--rabbit_password={(user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "")}",
            $"--control_exchange=test_{Guid.NewGuid():N}",
        ];
    }

    /// <summary>The checkout the tests were built from (where cloud.sln and scripts/ are).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "cloud.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"no cloud.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>
    /// What a test needs is missing (a service, a program, root): the test is ignored with the reason, or fails with it
    /// under CLOUD_TEST_REQUIRE=1 (CI), where everything must be there.
    /// </summary>
    public static void Unavailable(string reason)
    {
        if (Required)
        {
            Assert.Fail($"CLOUD_TEST_REQUIRE=1 but {reason}");
        }
        Assert.Ignore(reason);
    }

    /// <summary>Tests that create namespaces, bridges or virtual machines run as root (CI does); others are ignored.</summary>
    public static void RequireRoot()
    {
        if (Environment.UserName == "root")
        {
            return;
        }
        Unavailable("this test needs root (network namespaces, bridges, libvirt)");
    }

    private static string Require(string variable, string shape)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }
        Unavailable($"set {variable}={shape} (scripts/test-services.sh up writes it) to run this test");
        return "";
    }
}
