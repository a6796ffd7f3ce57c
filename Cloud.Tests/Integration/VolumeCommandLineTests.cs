using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd manage volume</c> as an operator runs it: nova-manage's list columns, and delete by id whatever the status. SQLite only.</summary>
[Category("Integration")]
public sealed class VolumeCommandLineTests : SyncedStateFixture
{
    [Test]
    public async Task Volumes_are_listed_with_nova_manages_columns_and_deleted_by_id()
    {
        var store = new VolumeStore(DbConnectionFactory.FromUrl($"sqlite:///{Path.Combine(StateDirectory, "cloudd.sqlite")}"), TimeProvider.System);
        await store.InsertWithinQuotaAsync("alice", Volume("11111111-1111-1111-1111-111111111111", host: null), default);
        await store.InsertWithinQuotaAsync("alice", Volume("22222222-2222-2222-2222-222222222222", host: "vol1"), default);
        await store.CreatedAsync("22222222-2222-2222-2222-222222222222", "/dev/null", "CHAP user secret", default);
        await store.ReserveAsync("22222222-2222-2222-2222-222222222222", "a", "i-1", "/dev/vdb", false, null, default);

        var list = await CloudProcess.RunAsync("manage", "volume", "list", StatePath);
        var deleted = await CloudProcess.RunAsync("manage", "volume", "delete", "1", StatePath);
        var missing = await CloudProcess.RunAsync("manage", "volume", "delete", "vol-00000009", StatePath);
        var after = await CloudProcess.RunAsync("manage", "volume", "list", StatePath);

        (list.ExitCode, list.Stdout).Should().Be((0,
            "ID  Project  Host  Size  Zone  Status     Attach_Status  Instance  Mountpoint\n"
            + "1   alpha    None  1     nova  creating   detached       None      None\n"
            + "2   alpha    vol1  1     nova  attaching  attaching      i-1       /dev/vdb\n"));
        (deleted.ExitCode, deleted.Stdout).Should().Be((0, "volume 1 is being deleted\n"));
        (missing.ExitCode, missing.Stderr).Should().Be((1, "cloudd: error: Volume vol-00000009 could not be found.\n"));
        after.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "the unplaced volume is gone at once");
    }

    private static NewVolume Volume(string uuid, string? host) =>
        new(uuid, "alpha", "alice", null, null, 1, "nova", VolumeInput.DefaultType, null, null, host, false, new Dictionary<string, string>(), -1, -1);
}
