using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Scheduler;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// A server create happens completely (its scheduling cast is committed with it and sent, from the outbox if the
/// bus did not take it) or not at all, and concurrent creates never pass the quota, on each database engine.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class CreatePathContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private ComputeTestCloud _cloud = null!;
    private SwitchableDb _db = null!;

    // One cloud per engine (a MariaDB database takes seconds to migrate); each test starts from an empty outbox,
    // a working bus and no instance quota for alpha. Only the quota race creates bob's (project beta) servers.
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        // Migrated through the engine's own factory first: only it can create a missing MariaDB database.
        await new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        _db = new SwitchableDb(_harness.Db);
        _cloud = await ComputeTestCloud.StartAsync(_db, serveScheduler: false);
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.quarter", 256, 1, 0, null, default);
    }

    [SetUp]
    public async Task ResetAsync()
    {
        await _harness.Db.ExecuteAsync("DELETE FROM rpc_outbox", null, default);
        await _cloud.Identity.SetQuotaAsync("alpha", "instances", -1, default);
        _db.Down = false;
        _cloud.Broker.Broken = false;
        _cloud.Broker.BeforeCast = null;
        _cloud.Broker.Casts.Clear();
        _cloud.Broker.EncodedMsgIds.Clear();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private static CreateInstancesRequest OneServer => new("ami-image", "m1.quarter");

    [Test]
    public async Task Twenty_concurrent_creates_at_a_quota_of_five_create_exactly_five()
    {
        await _cloud.Identity.SetQuotaAsync("beta", "instances", 5, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _cloud.Compute.CreateAsync(_cloud.Bob, OneServer, default);
                return "created";
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.Forbidden)
            {
                return e.Message;
            }
        })));

        outcomes.Count(o => o == "created").Should().Be(5);
        outcomes.Where(o => o != "created").Should().HaveCount(15)
            .And.OnlyContain(o => o == "Quota exceeded for instances: Requested 1, but already used 5 of 5 instances");
        (await _cloud.Compute.ListAsync(_cloud.Bob, false, default)).Should().HaveCount(5);
    }

    [Test]
    public async Task Concurrent_key_pairs_and_security_groups_stop_at_their_quotas()
    {
        await _cloud.Identity.SetQuotaAsync("beta", "key_pairs", 3, default);
        await _cloud.Identity.SetQuotaAsync("beta", "security_groups", 3, default);
        var groupsBefore = (await _cloud.SecurityGroups.ListAsync(_cloud.Bob, false, default)).Count;

        var (publicKey, _) = SshKeys.GenerateRsa("race", bits: 1024);
        var pairs = await RaceAsync(10, i => _cloud.KeyPairs.ImportAsync(_cloud.Bob, $"race-{i}", publicKey, default));
        var groups = await RaceAsync(10, i => _cloud.SecurityGroups.CreateAsync(_cloud.Bob, $"race-{i}", "raced", default));

        pairs.Should().Be(3);
        (await _cloud.KeyPairs.ListAsync(_cloud.Bob, default)).Should().HaveCount(3);
        groups.Should().Be(3 - groupsBefore);
        (await _cloud.SecurityGroups.ListAsync(_cloud.Bob, false, default)).Should().HaveCount(3);
    }

    [Test]
    public async Task A_create_answers_although_the_bus_is_down_and_the_outbox_sends_its_cast_later()
    {
        _cloud.Broker.Broken = true;

        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);

        var instance = await _cloud.Compute.GetAsync(_cloud.Alice, created[0].Uuid, default);
        instance.VmState.Should().Be(VmStates.Building);
        instance.FaultMessage.Should().BeNull("the server exists and will be scheduled");
        _cloud.Broker.Casts.Should().BeEmpty();
        (await OutboxRowsAsync()).Should().Be(1);

        _cloud.Broker.Broken = false;
        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(0, "the row is left to its writer for a while");
        _cloud.Clock.Advance(RpcOutbox.WriterGrace + TimeSpan.FromSeconds(1));
        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(1);

        _cloud.Broker.Casts.Should().ContainSingle().Which.Message.Should().BeOfType<ScheduleRunInstance>()
            .Which.InstanceUuids.Should().Equal(created[0].Uuid);
        (await OutboxRowsAsync()).Should().Be(0);
    }

    [Test]
    public async Task The_outbox_sends_the_cast_it_stored_whose_msg_id_is_its_row_id_the_first_time_and_again()
    {
        await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);
        _cloud.Broker.Broken = true;
        await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);
        var rowId = await _harness.Db.ExecuteScalarAsync<string>("SELECT id FROM rpc_outbox", null, default);
        _cloud.Broker.Broken = false;
        _cloud.Clock.Advance(RpcOutbox.WriterGrace + TimeSpan.FromSeconds(1));

        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(1);

        _cloud.Broker.EncodedMsgIds.Should().HaveCount(2, "both casts went as the bytes their rows hold, encoded once");
        _cloud.Broker.EncodedMsgIds.Last().Should().Be(rowId, "a cast sent again keeps the msg_id it was written with");
        Guid.TryParse(_cloud.Broker.EncodedMsgIds.First(), out _).Should().BeTrue("the first cast's msg_id is its (deleted) row's id");
    }

    [Test]
    public async Task A_client_that_hangs_up_after_the_commit_does_not_stop_the_cast()
    {
        using var request = new CancellationTokenSource();
        _cloud.Broker.BeforeCast = request.Cancel;

        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, request.Token);

        request.IsCancellationRequested.Should().BeTrue();
        _cloud.Broker.Casts.Should().ContainSingle().Which.Message.Should().BeOfType<ScheduleRunInstance>()
            .Which.InstanceUuids.Should().Equal(created[0].Uuid);
        (await OutboxRowsAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_cast_the_bus_refuses_again_waits_longer_before_its_next_attempt()
    {
        _cloud.Broker.Broken = true;
        await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);
        _cloud.Clock.Advance(RpcOutbox.WriterGrace + TimeSpan.FromSeconds(1));

        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(0);
        _cloud.Broker.Broken = false;
        _cloud.Clock.Advance(RpcOutbox.BackOff(1) - TimeSpan.FromSeconds(1));
        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(0, "its back-off has not passed");
        _cloud.Clock.Advance(TimeSpan.FromSeconds(2));
        (await _cloud.Outbox.SendDueAsync(default)).Should().Be(1);
        _cloud.Broker.Casts.Should().ContainSingle();
    }

    [Test]
    public async Task A_create_while_the_database_is_down_fails_as_unavailable_and_leaves_nothing()
    {
        var before = (await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).Count;
        _db.Down = true;

        var create = () => _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);

        // What the HTTP error net answers 503 with "the database is unavailable", not 500.
        var error = (await create.Should().ThrowAsync<Exception>()).Which;
        TransientFaults.Classify(error).Should().Be("database");
        _db.Down = false;
        (await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).Should().HaveCount(before);
        (await OutboxRowsAsync()).Should().Be(0);
        _cloud.Broker.Casts.Should().BeEmpty();
    }

    [Test]
    public async Task Two_senders_on_one_database_send_each_row_once()
    {
        _cloud.Broker.Broken = true;
        for (var i = 0; i < 10; i++)
        {
            await _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);
        }
        _cloud.Broker.Broken = false;
        _cloud.Clock.Advance(RpcOutbox.WriterGrace + TimeSpan.FromSeconds(1));
        var other = new RpcOutbox(_harness.Db, _cloud.Bus, TestBus.Codec, _cloud.Clock, NullLogger<RpcOutbox>.Instance);

        var sent = await Task.WhenAll(Task.Run(() => _cloud.Outbox.SendDueAsync(default)), Task.Run(() => other.SendDueAsync(default)));

        sent.Sum().Should().Be(10);
        _cloud.Broker.Casts.Should().HaveCount(10);
        _cloud.Broker.Casts.Select(c => ((ScheduleRunInstance)c.Message).InstanceUuids[0]).Should().OnlyHaveUniqueItems();
        (await OutboxRowsAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_create_refused_by_the_quota_leaves_nothing_in_the_outbox()
    {
        await _cloud.Identity.SetQuotaAsync("alpha", "instances", 0, default);

        var create = () => _cloud.Compute.CreateAsync(_cloud.Alice, OneServer, default);

        (await create.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.Forbidden);
        (await OutboxRowsAsync()).Should().Be(0);
        _cloud.Broker.Casts.Should().BeEmpty();
    }

    /// <summary>Runs <paramref name="count"/> creates at once; returns how many succeeded (the others must be quota 403s).</summary>
    private static async Task<int> RaceAsync(int count, Func<int, Task> create)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                await create(i);
                return true;
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.Forbidden && e.Message.StartsWith("Quota exceeded", StringComparison.Ordinal))
            {
                return false;
            }
        })));
        return outcomes.Count(created => created);
    }

    private Task<long> OutboxRowsAsync() => _harness.Db.ExecuteScalarAsync<long>(RpcOutboxQueries.Count, null, default);
}
