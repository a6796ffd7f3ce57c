using Cloud.Host;
using Cloud.Modules.Compute;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Service;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Three compute hosts (fake driver, a test double) and a scheduler as separate cloudd processes on one MariaDB and
/// one RabbitMQ, driven through ComputeApi from the test: placement by free RAM, a dead host gets nothing, an
/// oversized flavor finds no host, terminate frees the host.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class ComputeSchedulingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<CloudProcess> _processes = [];
    private MySqlHarness _db = null!;
    private List<string> _flags = null!;
    private IHost _client = null!;
    private string _suffix = "";

    private string H(string name) => $"{name}-{_suffix}";

    private ComputeApi Compute => _client.Services.GetRequiredService<ComputeApi>();

    [SetUp]
    public async Task SetUpAsync()
    {
        _suffix = Guid.NewGuid().ToString("N")[..6];
        _db = new MySqlHarness();
        _flags = [$"--sql_connection={_db.SqlConnection}", "--report_interval=1", "--service_down_time=4", "--periodic_interval=1",
            "--ram_allocation_ratio=1.0", .. TestEnv.AmqpFlags()];
        var sync = await CloudProcess.RunAsync(["manage", "db", "sync", .. _flags]);
        sync.ExitCode.Should().Be(0, sync.Stderr);
        _client = CloudHostFactory.Build(new FlagFileParser(new FlagRegistry(ModuleCatalog.FlagTypes)).Parse([], _flags), []);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var process in _processes)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                TestContext.Out.WriteLine($"--- cloudd pid {process.Id} output:\n{process.Output}");
            }
            await process.DisposeAsync();
        }
        _processes.Clear();
        if (_client is not null)
        {
            await _client.Services.GetRequiredService<Modules.Kernel.Bus.IRpcBus>().DisposeAsync();
            _client.Dispose();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private CloudProcess Start(string roles, string host, params string[] extra)
    {
        var process = CloudProcess.Start([$"--roles={roles}", $"--host={host}", .. _flags, .. extra]);
        _processes.Add(process);
        return process;
    }

    private async Task<RequestContext> ProjectMemberAsync()
    {
        var identity = _client.Services.GetRequiredService<IdentityApi>();
        var user = await identity.CreateUserAsync("alice", isAdmin: false, null, default);
        var project = await identity.CreateProjectAsync("alpha", "alice", null, default);
        return new RequestContext(user.Id, project.Id, false, ["member"], RequestContext.NewRequestId());
    }

    private async Task<IReadOnlyList<Instance>> RunAsync(RequestContext context, string flavor, int count)
    {
        var created = await Compute.CreateAsync(context, new CreateInstancesRequest("ami-test", flavor, count, count), default);
        IReadOnlyList<Instance> now = [];
        await Poller.UntilAsync(async () =>
        {
            now = await Task.WhenAll(created.Select(i => Compute.GetAsync(context, i.Uuid, default)));
            return now.All(i => i.VmState is VmStates.Active or VmStates.Error);
        }, Patience, $"{count} {flavor} instance(s) to become active or fail");
        return now;
    }

    private async Task<bool> IsUpAsync(string host)
    {
        var services = _client.Services.GetRequiredService<ServiceGroup>();
        var row = (await services.ListByTopicAsync(ComputeRpcClient.Topic, default)).FirstOrDefault(s => s.Host == host);
        return row is not null && services.IsUp(row);
    }

    [Test]
    public async Task Three_compute_hosts_get_instances_by_free_ram_a_dead_host_none_and_an_oversized_flavor_no_valid_host()
    {
        var (c1, c2, c3) = (H("c1"), H("c2"), H("c3"));
        Start("compute", c1, "--compute_driver=fake", "--fake_memory_mb=10000");
        var second = Start("compute", c2, "--compute_driver=fake", "--fake_memory_mb=7000");
        Start("compute", c3, "--compute_driver=fake", "--fake_memory_mb=3000");
        Start("scheduler", H("sched"));
        var nodes = _client.Services.GetRequiredService<ComputeNodeApi>();
        await Poller.UntilAsync(async () => (await nodes.ListAsync(default)).Count == 3, Patience, "three compute hosts to report capacity");
        var alice = await ProjectMemberAsync();

        // Free RAM 10000/7000/3000 and 2048 MiB each: c1 (7952 left), c1 (5904), c2 (4952), c1 (3856).
        var spread = await RunAsync(alice, "m1.small", 4);
        spread.Should().OnlyContain(i => i.VmState == VmStates.Active);
        spread.GroupBy(i => i.Host!).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(new Dictionary<string, int> { [c1] = 3, [c2] = 1 });

        second.KillHard();
        await Poller.UntilAsync(async () => !await IsUpAsync(c2), Patience, "the killed host to count as down");
        // c2 has the most free RAM on paper (4952, against 3856 on c1 and 3000 on c3), but it stopped heartbeating.
        var afterDeath = await RunAsync(alice, "m1.small", 2);
        afterDeath.Should().OnlyContain(i => i.VmState == VmStates.Active);
        afterDeath.Select(i => i.Host).Should().BeEquivalentTo([c1, c3]);

        await _client.Services.GetRequiredService<FlavorApi>().CreateAsync(RequestContext.Service(), "m1.oversized", 9000, 1, 0, null, default);
        var oversized = (await RunAsync(alice, "m1.oversized", 1))[0];
        (oversized.VmState, oversized.Host).Should().Be((VmStates.Error, null));
        oversized.FaultMessage.Should().StartWith("No valid host was found");

        foreach (var instance in afterDeath.Concat(spread))
        {
            await Compute.TerminateAsync(alice, instance.Uuid, default);
        }
        await Poller.UntilAsync(async () => (await Compute.ListAsync(alice, false, default)).Where(i => i.Host is not null).All(i => i.Deleted), Patience, "terminations");
        (await nodes.ListAsync(default)).Should().OnlyContain(n => n.MemoryMbUsed == 0, "terminated instances give their RAM back, the dead host's too");
        var console = await FluentActions.Awaiting(() => Compute.GetConsoleOutputAsync(alice, afterDeath[0].Uuid, default)).Should().ThrowAsync<Modules.Kernel.CloudException>();
        console.Which.Kind.Should().Be(Modules.Kernel.CloudErrorKind.Conflict);
    }
}
