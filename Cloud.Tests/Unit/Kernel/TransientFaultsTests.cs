using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Reliability;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>Which failures APIs answer 503 and the bus delivers again: the infrastructure's, never the request's.</summary>
public sealed class TransientFaultsTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new DatabaseUnavailableException("cannot connect"), "database").SetName("database unavailable");
        yield return new TestCaseData(new BusUnavailableException("no broker"), "message bus").SetName("bus unavailable");
        yield return new TestCaseData(new SqliteException("busy", 5), "database").SetName("SQLITE_BUSY");
        yield return new TestCaseData(new SqliteException("locked", 6), "database").SetName("SQLITE_LOCKED");
        yield return new TestCaseData(new InvalidOperationException("wrapped", new DatabaseUnavailableException("x")), "database").SetName("an inner cause counts");
        yield return new TestCaseData(new IOException("end of stream") { Source = "MySqlConnector" }, "database").SetName("the driver's socket failure");
        yield return new TestCaseData(new SqliteException("constraint", 19), null).SetName("a constraint violation is the request's");
        yield return new TestCaseData(new IOException("disk full"), null).SetName("an IO error not from the driver");
        yield return new TestCaseData(new InvalidOperationException("bug"), null).SetName("a bug");
    }

    [TestCaseSource(nameof(Cases))]
    public void Classifies(Exception error, string? what) => TransientFaults.Classify(error).Should().Be(what);
}
