using System.Globalization;
using System.Net;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// One storage device in a ring: where it lives (region, zone, ip:port), its disk name under
/// <c>/srv/node</c>, and its weight relative to the other devices.
/// </summary>
/// <param name="Id">Device id, unique in the builder; -1 until <see cref="RingBuilder.AddDevice(RingDevice)"/> assigns one.</param>
/// <param name="Region">Region number. Default: 1.</param>
/// <param name="Zone">Zone number; replicas of a partition are spread over distinct zones first.</param>
/// <param name="Ip">Address the proxy uses to reach the storage server.</param>
/// <param name="Port">Storage server port (object 6000, container 6001, account 6002 by convention).</param>
/// <param name="ReplicationIp">Address replicators use. Default: <paramref name="Ip"/>.</param>
/// <param name="ReplicationPort">Port replicators use. Default: <paramref name="Port"/>.</param>
/// <param name="Device">Device (mount) name, e.g. <c>sda5</c>.</param>
/// <param name="Weight">Relative share of partitions; 0 drains the device.</param>
/// <param name="Meta">Free-form operator note. Default: empty.</param>
public sealed record RingDevice(
    int Id, int Region, int Zone, string Ip, int Port, string ReplicationIp, int ReplicationPort,
    string Device, double Weight, string Meta)
{
    /// <summary>
    /// Parses the <c>swift-ring-builder add</c> syntax:
    /// <c>[r&lt;region&gt;]z&lt;zone&gt;-&lt;ip&gt;:&lt;port&gt;[R&lt;repl ip&gt;:&lt;repl port&gt;]/&lt;device&gt;[_&lt;meta&gt;]</c>,
    /// e.g. <c>z1-192.168.2.130:6000/sda5</c>. IPv6 addresses go in brackets.
    /// </summary>
    /// <exception cref="RingBuilderException">The string is malformed; the message names the bad part.</exception>
    public static RingDevice Parse(string spec, double weight)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!double.IsFinite(weight) || weight < 0)
            throw new RingBuilderException($"Invalid weight '{weight.ToString(CultureInfo.InvariantCulture)}' for '{spec}': must be a number >= 0.");

        var pos = 0;
        var region = 1;
        if (pos < spec.Length && spec[pos] == 'r')
        {
            pos++;
            region = ReadNumber(spec, ref pos, "region", "r<region>");
        }

        if (pos >= spec.Length || spec[pos] != 'z')
            throw new RingBuilderException($"Invalid device '{spec}': missing zone, expected 'z<zone>-' at position {pos}.");
        pos++;
        var zone = ReadNumber(spec, ref pos, "zone", "z<zone>");
        Expect(spec, ref pos, '-', "'-' after the zone");

        var (ip, port) = ReadAddress(spec, ref pos, "ip");
        var (replIp, replPort) = (ip, port);
        if (pos < spec.Length && spec[pos] == 'R')
        {
            pos++;
            (replIp, replPort) = ReadAddress(spec, ref pos, "replication ip");
        }

        Expect(spec, ref pos, '/', "'/<device>' after the port");
        var rest = spec[pos..];
        var underscore = rest.IndexOf('_', StringComparison.Ordinal);
        var device = underscore < 0 ? rest : rest[..underscore];
        var meta = underscore < 0 ? "" : rest[(underscore + 1)..];
        if (device.Length == 0)
            throw new RingBuilderException($"Invalid device '{spec}': missing device name after '/'.");
        if (device.Contains('/', StringComparison.Ordinal))
            throw new RingBuilderException($"Invalid device '{spec}': device name '{device}' must not contain '/'.");

        return new RingDevice(-1, region, zone, ip, port, replIp, replPort, device, weight, meta);
    }

    /// <summary>The add string for this device, as <see cref="Parse"/> reads it.</summary>
    public string ToAddString()
    {
        var repl = ReplicationIp == Ip && ReplicationPort == Port ? "" : $"R{FormatIp(ReplicationIp)}:{ReplicationPort}";
        var meta = Meta.Length == 0 ? "" : "_" + Meta;
        return $"r{Region}z{Zone}-{FormatIp(Ip)}:{Port}{repl}/{Device}{meta}";
    }

    internal static string FormatIp(string ip) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;

    private static int ReadNumber(string spec, ref int pos, string what, string form)
    {
        var start = pos;
        while (pos < spec.Length && char.IsAsciiDigit(spec[pos]))
            pos++;
        if (pos == start || !int.TryParse(spec.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new RingBuilderException($"Invalid device '{spec}': bad {what}, expected '{form}' with a number.");
        return value;
    }

    private static void Expect(string spec, ref int pos, char c, string what)
    {
        if (pos >= spec.Length || spec[pos] != c)
            throw new RingBuilderException($"Invalid device '{spec}': expected {what} at position {pos}.");
        pos++;
    }

    private static (string Ip, int Port) ReadAddress(string spec, ref int pos, string what)
    {
        string ip;
        if (pos < spec.Length && spec[pos] == '[')
        {
            var close = spec.IndexOf(']', pos);
            if (close < 0)
                throw new RingBuilderException($"Invalid device '{spec}': unterminated '[' in {what}.");
            ip = spec[(pos + 1)..close];
            pos = close + 1;
            if (!IPAddress.TryParse(ip, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                throw new RingBuilderException($"Invalid device '{spec}': bad {what} '{ip}'.");
        }
        else
        {
            var start = pos;
            while (pos < spec.Length && (char.IsAsciiLetterOrDigit(spec[pos]) || spec[pos] is '.' or '-'))
                pos++;
            ip = spec[start..pos];
            // Hostnames are allowed, but something shaped like a dotted quad must be a real IPv4 address.
            var looksNumeric = ip.Length > 0 && ip.All(ch => char.IsAsciiDigit(ch) || ch == '.');
            if (ip.Length == 0 || (looksNumeric && !IPAddress.TryParse(ip, out _)) || (looksNumeric && ip.Count(ch => ch == '.') != 3))
                throw new RingBuilderException($"Invalid device '{spec}': bad {what} '{ip}'.");
        }

        Expect(spec, ref pos, ':', $"':<port>' after the {what}");
        var portStart = pos;
        while (pos < spec.Length && char.IsAsciiDigit(spec[pos]))
            pos++;
        var portText = spec[portStart..pos];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new RingBuilderException($"Invalid device '{spec}': bad port '{portText}', expected 1-65535.");
        return (ip, port);
    }
}
