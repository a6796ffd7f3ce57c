using System.Globalization;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>What one replication pass did, for its log line and the <c>cloudd swift replicate --once</c> summary.</summary>
public sealed class ReplicationStats
{
    /// <summary>Partitions (objects) or databases (containers, accounts) looked at.</summary>
    public int Checked { get; set; }

    /// <summary>Files or databases sent to a peer that lacked them.</summary>
    public int Pushed { get; set; }

    /// <summary>Peers that could not be reached or refused a push; retried on the next pass.</summary>
    public int Failures { get; set; }

    /// <summary>Handoff partitions or databases removed once every primary had them.</summary>
    public int HandoffsRemoved { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Checked} checked, {Pushed} pushed, {Failures} failures, {HandoffsRemoved} handoffs removed");
}
