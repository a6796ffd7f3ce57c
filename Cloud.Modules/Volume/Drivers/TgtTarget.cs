namespace Cloud.Modules.Volume.Drivers;

/// <summary>One target as <c>tgtadm --op show --mode target</c> prints it (see <see cref="TgtShowParser"/>).</summary>
/// <param name="Tid">Its target id.</param>
/// <param name="Iqn">Its name.</param>
/// <param name="BackingStores">Backing store path by LUN (LUN 0, tgt's controller, has none and is left out).</param>
/// <param name="IncomingUsers">CHAP accounts bound to it for initiators to log in with.</param>
/// <param name="Acls">Initiator addresses or names allowed (<c>ALL</c> for any).</param>
/// <param name="Sessions">I_T nexus (session) ids of the initiators connected now.</param>
public sealed record TgtTarget(
    int Tid,
    string Iqn,
    IReadOnlyDictionary<int, string> BackingStores,
    IReadOnlyList<string> IncomingUsers,
    IReadOnlyList<string> Acls,
    IReadOnlyList<int> Sessions);
