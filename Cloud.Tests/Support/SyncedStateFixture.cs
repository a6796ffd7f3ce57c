using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>A fixture whose every test gets a fresh state directory with a synced SQLite schema, as an operator's first <c>manage db sync</c> leaves it.</summary>
public abstract class SyncedStateFixture
{
    private TempDir _dir = null!;

    protected string StateDirectory => _dir.Path;

    /// <summary>The flag that points a cloudd command at this test's state directory.</summary>
    protected string StatePath => $"--state_path={_dir.Path}";

    [SetUp]
    public async Task SyncAsync()
    {
        _dir = new TempDir();
        (await CloudProcess.RunAsync("manage", "db", "sync", StatePath)).ExitCode.Should().Be(0);
    }

    [TearDown]
    public void DeleteDir() => _dir.Dispose();
}
