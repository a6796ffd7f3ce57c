using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using FluentAssertions;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>
/// A <see cref="ComputeTestCloud"/> (scheduler served, fake hosts, <see cref="ManualClock"/>) for the scheduler's
/// reconciler: instances written as the compute API writes them but without its schedule cast, claims made as the
/// scheduler makes them without its run_instance cast, so no message is in flight unless the test sends one.
/// </summary>
public sealed class StuckBuildsCloud : IAsyncDisposable
{
    public const long MemoryMb = 512;

    private IAsyncDisposable? _network;

    private StuckBuildsCloud(ComputeTestCloud cloud, Flavor flavor) => (Cloud, Flavor) = (cloud, flavor);

    public ComputeTestCloud Cloud { get; }

    public Flavor Flavor { get; }

    public static async Task<StuckBuildsCloud> StartAsync(IDbHarness harness)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var cloud = await ComputeTestCloud.StartAsync(harness.Db);
        return new StuckBuildsCloud(cloud, await cloud.Flavors.CreateAsync(cloud.Admin, "m1.reconciled", MemoryMb, 1, 0, null, default));
    }

    /// <summary><paramref name="count"/> instances of the test flavor, building and scheduling, with no schedule cast.</summary>
    public async Task<IReadOnlyList<string>> NewBuildsAsync(int count)
    {
        var request = new CreateInstancesRequest("ami-image", Flavor.Name, count, count);
        var launch = new InstanceLaunch(Cloud.Alice.ProjectId!, request, Flavor, null, [], "r-reconcile", Cloud.Clock.GetUtcNow().UtcDateTime);
        return await Cloud.Store.CreateAsync(Cloud.Alice, launch, _ => count, (_, _, _) => Task.CompletedTask, default);
    }

    /// <summary>What the scheduler does before it casts run_instance: the instance on <paramref name="host"/>, its resources claimed there.</summary>
    public async Task ClaimAsync(string uuid, string host) =>
        (await Cloud.Nodes.ClaimAsync([new Placement(uuid, host, MemoryMb, 1, 0)], Cloud.SchedulerFlags.Value.Ratios, default)).Should().BeTrue();

    /// <summary>An instance created through the compute API and active on <paramref name="host"/>.</summary>
    public async Task<string> ActiveOnAsync(string host)
    {
        var created = await Cloud.Compute.CreateAsync(Cloud.Alice, new CreateInstancesRequest("ami-image", Flavor.Name), default);
        var active = (await Cloud.SettledAsync(Cloud.Alice, created))[0];
        active.Should().BeEquivalentTo(new { VmState = VmStates.Active, Host = host });
        return active.Uuid;
    }

    /// <summary>The instance once it has left building (the scheduler and the hosts answer casts in the background).</summary>
    public async Task<Instance> SettledAsync(string uuid) =>
        (await Cloud.SettledAsync(Cloud.Alice, [(await Cloud.Store.FindAsync(uuid, default))!]))[0];

    public async Task<Instance> FindAsync(string uuid) => (await Cloud.Store.FindAsync(uuid, default))!;

    /// <summary>Moves the clock on; only <paramref name="alive"/> heartbeats (service_down_time is 60 s).</summary>
    public async Task AdvanceAsync(TimeSpan by, params string[] alive)
    {
        Cloud.Clock.Advance(by);
        foreach (var host in alive)
        {
            await Cloud.HeartbeatAsync(host);
        }
    }

    public async Task<long> UsedMemoryAsync(string host) => (await Cloud.Nodes.FindAsync(host, default))!.MemoryMbUsed;

    /// <summary>A network of 5 addresses, and a network role on the bus that answers deallocate_for_instance from it.</summary>
    public async Task<NetworkStore> ServeNetworkAsync()
    {
        var networks = new NetworkStore(Cloud.Db, Cloud.Clock);
        await new NetworkApi(networks, Options.Create(new NetworkFlags { FlatNetworkDhcpStart = "10.4.0.2" }))
            .CreateAsync("private", "10.4.0.0/29", 1, 8, "brfl0", null, null, default);
        _network = await Cloud.Bus.ServeAsync(NetworkRpcClient.Topic, "network-host", new DeallocatingNetwork(networks), default);
        return networks;
    }

    public async ValueTask DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        await Cloud.DisposeAsync();
    }

    private sealed class DeallocatingNetwork(NetworkStore networks) : IRpcEndpoint
    {
        public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
        {
            if (message is not DeallocateForInstance m)
            {
                throw new UnknownRpcMethodException(message);
            }
            await networks.DeallocateAsync(m.InstanceUuid, cancellationToken);
            return null;
        }
    }
}
