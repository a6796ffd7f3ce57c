using System.Text;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.Metadata;

/// <summary>What both metadata trees say about a guest, worked out once per request.</summary>
/// <param name="Guest">The guest, found by its fixed IP.</param>
/// <param name="Hostname">Its host name in the DHCP domain (<see cref="InstanceHostname.Qualified"/>).</param>
/// <param name="PublicIpv4">Its floating IP (EC2's public-ipv4), or null.</param>
public sealed record GuestFacts(Guest Guest, string Hostname, string? PublicIpv4 = null)
{
    public Instance Instance => Guest.Instance;

    /// <summary>The availability zone, nova's default zone when none was asked for (as the EC2 API shows it).</summary>
    public string AvailabilityZone => Instance.AvailabilityZone ?? "nova";

    /// <summary>The user data as the guest gets it: decoded from the base64 the APIs stored; null when there is none.</summary>
    public byte[]? UserData
    {
        get
        {
            if (Instance.UserData is not { } encoded)
            {
                return null;
            }
            var buffer = new byte[encoded.Length];
            // The APIs refuse anything but base64, so the fallback only guards rows written some other way.
            return Convert.TryFromBase64String(encoded, buffer, out var length) ? buffer[..length] : Encoding.UTF8.GetBytes(encoded);
        }
    }

    /// <summary>The key pair's OpenSSH public key, when the instance was started with one.</summary>
    public (string Name, string Key)? PublicKey =>
        Instance.KeyName is { } name && Instance.KeyData is { } key ? (name, key) : null;
}
