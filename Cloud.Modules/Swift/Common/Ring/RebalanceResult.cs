namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>Outcome of <see cref="RingBuilder.Rebalance"/>, as swift-ring-builder reports it.</summary>
/// <param name="PartitionsMoved">Partitions with at least one replica reassigned; 0 means nothing needed or min_part_hours blocked it.</param>
/// <param name="PartitionCount">All partitions in the ring.</param>
/// <param name="Balance">Largest per-device deviation from its weighted share, in percent.</param>
public sealed record RebalanceResult(int PartitionsMoved, long PartitionCount, double Balance)
{
    /// <summary>"Reassigned 262144 (100.00%) partitions. Balance is now 0.00."</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Reassigned {PartitionsMoved} ({100.0 * PartitionsMoved / PartitionCount:0.00}%) partitions. Balance is now {Balance:0.00}.");
}
