using System.Collections.Frozen;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Firewall;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// Compares the hypervisor's guests with this host's instances, at the compute role's start and every
/// <c>running_deleted_instance_poll_interval</c> (nova's _cleanup_running_deleted_instances, widened): a guest whose
/// instance is deleted (for <c>running_deleted_instance_timeout</c>), unknown, or placed on another host gets
/// <c>running_deleted_instance_action</c>; a build whose guest runs but whose launch was never recorded (the database
/// write after the spawn failed) is adopted. A guest whose name is not <c>instance-%08x</c> is not cloudd's: it is only
/// logged, once. At start the power states are synced as well, so an active instance whose guest vanished while the role
/// was down is stopped before the role takes messages. Registered before the RPC service.
/// </summary>
public sealed partial class GuestReconciler(
    IComputeDriver driver,
    InstanceStore store,
    IOptions<ComputeFlags> computeFlags,
    IOptions<CommonFlags> flags,
    TimeProvider clock,
    ILogger<GuestReconciler> log,
    InstanceNetworkingApi? networking = null,
    FirewallManager? firewall = null) : IHostedService
{
    public const string Noop = "noop";
    public const string Log = "log";
    public const string Shutdown = "shutdown";
    public const string Reap = "reap";

    /// <summary>The values of running_deleted_instance_action.</summary>
    public static readonly FrozenSet<string> Actions = FrozenSet.Create(StringComparer.Ordinal, Noop, Log, Shutdown, Reap);

    /// <summary>
    /// How long a build may go without a write while its guest runs before it is adopted: the spawn's own launch record
    /// follows the guest's start at once, so a build this quiet lost that write (and an adoption racing it writes the same).
    /// </summary>
    public static readonly TimeSpan StalledBuildAge = TimeSpan.FromMinutes(1);

    private readonly InstanceTeardown _teardown = new(log, networking, firewall);
    private readonly PowerStateSync _power = new(driver, store, log);
    private readonly HashSet<string> _foreignLogged = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastPass;

    private string Host => flags.Value.Host;

    private ComputeFlags Flags => computeFlags.Value;

    /// <summary>A first pass and a power-state sync before the role takes messages; a failure is logged and the role starts anyway.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Flags.RunningDeletedInstancePollInterval == 0)
        {
            return;
        }
        try
        {
            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            await _power.SyncHostAsync(Host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStartFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A pass when the poll interval has gone by since the last one (the periodic tasks run more often).</summary>
    public async Task RunIfDueAsync(CancellationToken cancellationToken)
    {
        var interval = Flags.RunningDeletedInstancePollInterval;
        if (interval == 0 || _lastPass is { } last && clock.GetUtcNow() - last < TimeSpan.FromSeconds(interval))
        {
            return;
        }
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One pass over every guest of the hypervisor; one guest's failure is logged and the others still get theirs.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        _lastPass = clock.GetUtcNow();
        var ours = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in await driver.ListInstancesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Instance.IdOfName(name) is { } id)
            {
                ours[name] = id;
            }
            else if (_foreignLogged.Add(name))
            {
                LogForeign(name);
            }
        }
        var instances = (await store.ByIdsAsync(ours.Values, cancellationToken).ConfigureAwait(false)).ToDictionary(i => i.Id);
        foreach (var (name, id) in ours)
        {
            try
            {
                await ReconcileAsync(name, instances.GetValueOrDefault(id), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGuestFailed(e, name);
            }
        }
    }

    private Task ReconcileAsync(string name, Instance? instance, CancellationToken cancellationToken)
    {
        var owner = GuestOwners.Of(instance, Host);
        return owner switch
        {
            GuestOwner.Here => AdoptIfStalledAsync(name, instance!, cancellationToken),
            GuestOwner.Deleted when !DeletedLongEnough(instance!) => Task.CompletedTask,
            GuestOwner.Deleted or GuestOwner.Unknown or GuestOwner.Elsewhere => ActOnOrphanAsync(name, instance, owner, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    private bool DeletedLongEnough(Instance instance) =>
        clock.GetUtcNow().UtcDateTime - (instance.TerminatedAt ?? instance.UpdatedAt) >= TimeSpan.FromSeconds(Flags.RunningDeletedInstanceTimeout);

    /// <summary>A build of this host whose guest runs and which nothing has written to for <see cref="StalledBuildAge"/> becomes active, as its spawn would have made it.</summary>
    private async Task AdoptIfStalledAsync(string name, Instance instance, CancellationToken cancellationToken)
    {
        if (instance.VmState != VmStates.Building || clock.GetUtcNow().UtcDateTime - instance.UpdatedAt < StalledBuildAge)
        {
            return;
        }
        if ((await driver.GetInfoAsync(name, cancellationToken).ConfigureAwait(false))?.State != PowerState.Running)
        {
            return;
        }
        if (await store.AdoptBuildAsync(instance.Uuid, PowerState.Running, cancellationToken).ConfigureAwait(false))
        {
            LogAdopted(instance.Uuid, name);
        }
    }

    private async Task ActOnOrphanAsync(string name, Instance? instance, GuestOwner owner, CancellationToken cancellationToken)
    {
        var action = Flags.RunningDeletedInstanceAction;
        var whose = owner switch
        {
            GuestOwner.Deleted => $"deleted instance {instance!.Uuid}",
            GuestOwner.Elsewhere => $"instance {instance!.Uuid}, which is on host {instance.Host ?? "(none)"}",
            _ => "no instance",
        };
        switch (action)
        {
            case Log:
                LogOrphan(name, whose, Host);
                break;
            case Shutdown:
                if ((await driver.GetInfoAsync(name, cancellationToken).ConfigureAwait(false))?.State is PowerState.Running or PowerState.Paused)
                {
                    await driver.PowerOffAsync(name, cancellationToken).ConfigureAwait(false);
                    LogOrphanActedOn(name, whose, "powered off");
                }
                break;
            case Reap:
                await driver.DestroyAsync(name, cancellationToken).ConfigureAwait(false);
                LogOrphanActedOn(name, whose, "destroyed");
                await ReleaseAsync(instance, owner, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// What terminate releases besides the guest: this host's chains of the instance, and its fixed IP when the instance
    /// is deleted (one placed on another host keeps its address there).
    /// </summary>
    private async Task ReleaseAsync(Instance? instance, GuestOwner owner, CancellationToken cancellationToken)
    {
        if (instance is null)
        {
            return;
        }
        await _teardown.RemoveFirewallAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        if (owner == GuestOwner.Deleted)
        {
            await _teardown.ReleaseNetworkAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "guest {Name} is not an instance-%08x domain, so not cloudd's: left alone")]
    private partial void LogForeign(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "guest {Name} belongs to {Whose}, not to a live instance of host {Host} (running_deleted_instance_action=log)")]
    private partial void LogOrphan(string name, string whose, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "guest {Name} belonged to {Whose}, not to a live instance of this host: {Done}")]
    private partial void LogOrphanActedOn(string name, string whose, string done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} was still building with its guest {Name} running: adopted as active (its launch was never recorded)")]
    private partial void LogAdopted(string uuid, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "guest {Name} could not be reconciled with its instance")]
    private partial void LogGuestFailed(Exception error, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not reconcile the hypervisor's guests with this host's instances at start")]
    private partial void LogStartFailed(Exception error);
}
