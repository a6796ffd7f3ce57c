using System.Net;
using System.Net.Sockets;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Network;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// The compute host's security groups (nova's firewall driver, the smart half): works out each local instance's
/// filter from the database (its groups' rules, source groups resolved to their live members' fixed IPs, its NIC)
/// and has <see cref="IptablesFirewallDriver"/> apply it. At role start it rebuilds every local instance's chains and
/// removes those of instances gone; an instance's chains are in place before its guest starts and go when it is
/// terminated; the refresh messages rewrite only the instances they affect. One change at a time, each read fresh
/// from the database, so the last word is always the database's.
/// </summary>
public sealed partial class FirewallManager(
    InstanceStore instances,
    SecurityGroupStore groups,
    NetworkApi network,
    IptablesFirewallDriver driver,
    ComputeRpcClient compute,
    IOptions<ComputeFlags> computeFlags,
    IOptions<CommonFlags> flags,
    ILogger<FirewallManager> log) : IHostedService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _synced;

    /// <summary>Rebuilds the host's chains before the role takes messages; if the database is away, the periodic task retries.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the start-up rebuild if it has not succeeded yet.</summary>
    public Task EnsureSyncedAsync(CancellationToken cancellationToken) => _synced ? Task.CompletedTask : SyncAsync(cancellationToken);

    /// <summary>Every local instance's chains as the database says; chains of instances not here any more are deleted.</summary>
    public Task SyncAsync(CancellationToken cancellationToken) => UnderGateAsync(async ct =>
    {
        var local = await instances.OnHostAsync(flags.Value.Host, ct).ConfigureAwait(false);
        var filters = await FiltersAsync([.. local.Select(i => i.Uuid)], ct).ConfigureAwait(false);
        var stale = await driver.SyncAsync(filters, ct).ConfigureAwait(false);
        _synced = true;
        LogSynced(filters.Count, stale);
    }, cancellationToken);

    /// <summary>
    /// The instance's chains are in place (before its guest starts, so it never runs unfiltered), and every host learns
    /// its groups have a new member address.
    /// </summary>
    public async Task SetUpAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        await UnderGateAsync(async ct => await driver.ApplyAsync(await FiltersAsync([instanceUuid], ct).ConfigureAwait(false), ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await RefreshMembersOfAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The (terminated) instance's chains are gone, and every host learns its groups lost a member.</summary>
    public async Task RemoveAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        await UnderGateAsync(ct => driver.RemoveAsync(instanceUuid, ct), cancellationToken).ConfigureAwait(false);
        await RefreshMembersOfAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles a refresh message: rewrites the chains of the local instances it affects.</summary>
    public Task RefreshAsync(IRpcMessage message, CancellationToken cancellationToken) => UnderGateAsync(async ct =>
    {
        var local = (await instances.OnHostAsync(flags.Value.Host, ct).ConfigureAwait(false)).Select(i => i.Uuid).ToList();
        var groupsOf = await groups.GroupIdsOfAsync(local, ct).ConfigureAwait(false);
        IEnumerable<string> affected = message switch
        {
            RefreshSecurityGroupRules m => local.Where(uuid => groupsOf[uuid].Contains(m.SecurityGroupId)),
            RefreshSecurityGroupMembers m => await AdmittingMembersOfAsync(local, groupsOf, m.SecurityGroupId, ct).ConfigureAwait(false),
            RefreshInstanceSecurityRules m => local.Where(uuid => uuid == m.InstanceUuid),
            _ => throw new UnknownRpcMethodException(message),
        };
        var filters = await FiltersAsync([.. affected], ct).ConfigureAwait(false);
        var changed = await driver.ApplyAsync(filters, ct).ConfigureAwait(false);
        LogRefreshed(RpcMessageRegistry.MethodOf(message.GetType()), filters.Count, changed);
    }, cancellationToken);

    /// <summary>Of the local instances, those with a rule whose source is <paramref name="groupId"/>.</summary>
    private async Task<IEnumerable<string>> AdmittingMembersOfAsync(IReadOnlyList<string> local, ILookup<string, long> groupsOf, long groupId, CancellationToken cancellationToken)
    {
        var rules = await groups.RulesOfAsync([.. local.SelectMany(uuid => groupsOf[uuid]).Distinct()], cancellationToken).ConfigureAwait(false);
        var admitting = rules.Where(r => r.GroupId == groupId).Select(r => r.ParentGroupId).ToHashSet();
        return local.Where(uuid => groupsOf[uuid].Any(admitting.Contains));
    }

    private async Task RefreshMembersOfAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        foreach (var groupId in (await groups.GroupIdsOfAsync([instanceUuid], cancellationToken).ConfigureAwait(false))[instanceUuid])
        {
            await compute.RefreshSecurityGroupMembersAsync(RequestContext.Service(), groupId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The filters of those of the instances that have a NIC (a few queries, whatever their number).</summary>
    private async Task<IReadOnlyList<InstanceFilter>> FiltersAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken)
    {
        var nics = await network.NicsOfAsync(uuids, cancellationToken).ConfigureAwait(false);
        var groupsOf = await groups.GroupIdsOfAsync([.. nics.Keys], cancellationToken).ConfigureAwait(false);
        var rules = (await groups.RulesOfAsync([.. groupsOf.SelectMany(g => g).Distinct()], cancellationToken).ConfigureAwait(false)).ToLookup(r => r.ParentGroupId);
        var members = await groups.LiveMembersAsync([.. rules.SelectMany(r => r).Select(r => r.GroupId).OfType<long>().Distinct()], cancellationToken).ConfigureAwait(false);
        var addresses = await network.AddressesOfAsync([.. members.SelectMany(m => m).Distinct()], cancellationToken).ConfigureAwait(false);
        var sameNet = computeFlags.Value.AllowSameNetTraffic;
        return [.. nics.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new InstanceFilter(
            n.Key, TapName(n.Key), n.Value.Mac, n.Value.Address, n.Value.Gateway, sameNet ? n.Value.Cidr : null,
            [.. groupsOf[n.Key].Order().SelectMany(g => rules[g]).SelectMany(rule => Expand(rule, members, addresses)).Distinct()]))];
    }

    /// <summary>A rule as the host enforces it: a source group becomes one rule per member address; IPv6 CIDRs have no IPv4 traffic to admit.</summary>
    private static IEnumerable<IngressRule> Expand(SecurityGroupRule rule, ILookup<long, string> members, ILookup<string, FixedAddress> addresses)
    {
        if (rule.GroupId is { } source)
        {
            return members[source].Order(StringComparer.Ordinal).SelectMany(m => addresses[m])
                .Select(a => new IngressRule(rule.Protocol, rule.FromPort, rule.ToPort, $"{a.Address}/32"));
        }
        var cidr = rule.Cidr ?? "0.0.0.0/0";
        return IPAddress.TryParse(cidr.Split('/')[0], out var ip) && ip.AddressFamily == AddressFamily.InterNetwork
            ? [new IngressRule(rule.Protocol, rule.FromPort, rule.ToPort, cidr)]
            : [];
    }

    /// <summary>The instance's tap, as the libvirt driver names it.</summary>
    private static string TapName(string uuid) => Drivers.Libvirt.DomainXml.TapName(uuid);

    private async Task UnderGateAsync(Func<CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await change(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "security groups: chains of {Instances} instances rebuilt, {Stale} stale instances' chains removed")]
    private partial void LogSynced(int instances, int stale);

    [LoggerMessage(Level = LogLevel.Information, Message = "security groups: {Method} affects {Instances} local instances, {Changed} rewritten")]
    private partial void LogRefreshed(string method, int instances, int changed);

    [LoggerMessage(Level = LogLevel.Error, Message = "security groups: rebuilding the host's chains failed; retried by the periodic task")]
    private partial void LogSyncFailed(Exception error);
}
