using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Network.Db;

/// <summary>
/// A fixed IP after <see cref="NetworkStore"/> created it: the operator's reserve/unreserve, dnsmasq's lease
/// callbacks (<c>cloudd dhcpbridge</c>) and the return of deallocated addresses to the pool.
/// </summary>
public sealed class FixedIpStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<FixedIp?> FindAsync(string address, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<FixedIp>(FixedIpQueries.ByAddress, new { Address = address }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<FixedIp>> ListAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync<FixedIp>(FixedIpQueries.All, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Keeps (or, with false, stops keeping) the address out of allocation; refused for an address an instance holds.</summary>
    public async Task SetReservedAsync(string address, bool reserved, CancellationToken cancellationToken)
    {
        var ip = await FindAsync(address, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Fixed IP {address} not found: no network has it.");
        if (!reserved)
        {
            await db.ExecuteAsync(FixedIpQueries.Unreserve, new { Address = address, Now }, cancellationToken).ConfigureAwait(false);
            return;
        }
        // The conditional UPDATE, not the read above, decides: an allocation racing with us wins or loses as a whole.
        if (await db.ExecuteAsync(FixedIpQueries.Reserve, new { Address = address, Now }, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw CloudException.Conflict($"Fixed IP {address} is in use by instance {ip.InstanceUuid ?? "(just allocated)"}; it can be reserved once it is free.");
        }
    }

    /// <summary>dnsmasq leased <paramref name="address"/> to <paramref name="mac"/>; false when no fixed IP has that address and MAC.</summary>
    public async Task<bool> LeaseAsync(string address, string mac, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FixedIpQueries.Lease, new { Address = address, Mac = mac.ToLowerInvariant(), Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>dnsmasq's lease on <paramref name="address"/> ended; false when no fixed IP has that address and MAC.</summary>
    public async Task<bool> ReleaseAsync(string address, string mac, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FixedIpQueries.Release, new { Address = address, Mac = mac.ToLowerInvariant(), Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Returns a deallocated address to the pool now.</summary>
    public async Task DisassociateAsync(string address, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FixedIpQueries.Disassociate, new { Address = address, Now }, cancellationToken).ConfigureAwait(false);

    /// <summary>Returns to the pool every deallocated, unleased address untouched for <paramref name="timeout"/>; returns how many.</summary>
    public async Task<int> DisassociateStaleAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FixedIpQueries.DisassociateStale, new { Now, Cutoff = Now - timeout }, cancellationToken).ConfigureAwait(false);
}
