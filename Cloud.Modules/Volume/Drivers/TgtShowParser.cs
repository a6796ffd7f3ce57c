using System.Globalization;

namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Reads tgtadm's <c>--op show</c> listings (tgt 1.0.x): an unindented <c>Target N: IQN</c> line per target, then sections
/// (<c>I_T nexus information:</c>, <c>LUN information:</c>, <c>Account information:</c>, <c>ACL information:</c>) whose
/// entries are indented further. tgtadm has no machine-readable output, so this is the one place that knows the layout.
/// </summary>
public static class TgtShowParser
{
    private const string OutgoingMark = " (outgoing)";

    /// <summary>The targets of <c>--op show --mode target</c>.</summary>
    public static IReadOnlyList<TgtTarget> Targets(string showOutput)
    {
        var targets = new List<TgtTarget>();
        Builder? current = null;
        var section = "";
        var lun = -1;
        foreach (var raw in showOutput.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                if (current is not null)
                {
                    targets.Add(current.Build());
                }
                current = StartTarget(text);
                section = "";
                continue;
            }
            if (current is null)
            {
                continue;
            }
            if (text.EndsWith(" information:", StringComparison.Ordinal))
            {
                section = text;
                lun = -1;
                continue;
            }
            switch (section)
            {
                case "I_T nexus information:" when Value(text, "I_T nexus:") is { } sid && int.TryParse(sid, CultureInfo.InvariantCulture, out var session):
                    current.Sessions.Add(session);
                    break;
                case "LUN information:" when Value(text, "LUN:") is { } number:
                    lun = int.Parse(number, CultureInfo.InvariantCulture);
                    break;
                case "LUN information:" when lun > 0 && Value(text, "Backing store path:") is { } path && path != "None":
                    current.BackingStores[lun] = path;
                    break;
                case "Account information:" when !text.EndsWith(OutgoingMark, StringComparison.Ordinal):
                    current.IncomingUsers.Add(text);
                    break;
                case "ACL information:":
                    current.Acls.Add(text);
                    break;
            }
        }
        if (current is not null)
        {
            targets.Add(current.Build());
        }
        return targets;
    }

    /// <summary>The user names of <c>--op show --mode account</c> (<c>Account list:</c>, then one user per line).</summary>
    public static IReadOnlyList<string> Accounts(string showOutput) =>
        [.. showOutput.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.EndsWith(':'))];

    /// <summary>The session ids of <c>--op show --mode conn --tid N</c> (<c>Session: S</c>, then its connections).</summary>
    public static IReadOnlyList<(int Session, int Connection)> Connections(string showOutput)
    {
        var found = new List<(int, int)>();
        var session = -1;
        foreach (var text in showOutput.Split('\n').Select(l => l.Trim()))
        {
            if (Value(text, "Session:") is { } sid)
            {
                session = int.Parse(sid, CultureInfo.InvariantCulture);
            }
            else if (session >= 0 && Value(text, "Connection:") is { } cid)
            {
                found.Add((session, int.Parse(cid, CultureInfo.InvariantCulture)));
            }
        }
        return found;
    }

    private static Builder? StartTarget(string text)
    {
        // "Target 1: iqn.2010-10.org.openstack:volume-00000001"
        const string prefix = "Target ";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return text.StartsWith(prefix, StringComparison.Ordinal) && colon > prefix.Length
            && int.TryParse(text[prefix.Length..colon], CultureInfo.InvariantCulture, out var tid)
            ? new Builder(tid, text[(colon + 1)..].Trim())
            : null;
    }

    private static string? Value(string text, string label) =>
        text.StartsWith(label, StringComparison.Ordinal) ? text[label.Length..].Trim() : null;

    private sealed class Builder(int tid, string iqn)
    {
        public Dictionary<int, string> BackingStores { get; } = [];

        public List<string> IncomingUsers { get; } = [];

        public List<string> Acls { get; } = [];

        public List<int> Sessions { get; } = [];

        public TgtTarget Build() => new(tid, iqn, BackingStores, IncomingUsers, Acls, Sessions);
    }
}
