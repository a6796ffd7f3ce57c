using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// swift's container-sync-realms.conf, from the flag <c>swift_container_sync_realms</c>: realms (case-insensitive)
/// that agreed to sync containers with each other, each with its key (and optional key2, for rotation) and its
/// clusters' endpoints (<c>https://host/v1/</c>). Written <c>realm,key=K[,key2=K2],cluster_NAME=URL[,...][;realm...]</c>.
/// </summary>
public sealed class ContainerSyncRealms
{
    private readonly Dictionary<string, Realm> _realms = new(StringComparer.Ordinal);

    private ContainerSyncRealms()
    {
    }

    /// <summary>Parses the flag's value.</summary>
    /// <exception cref="FlagException">A realm without a name or a key, or a field that is none of key, key2, cluster_*.</exception>
    public static ContainerSyncRealms Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parsed = new ContainerSyncRealms();
        foreach (var section in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = section.Split(',', StringSplitOptions.TrimEntries);
            var name = fields[0].ToUpperInvariant();
            string? key = null;
            string? key2 = null;
            var clusters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in fields.Skip(1))
            {
                var pair = field.Split('=', 2, StringSplitOptions.TrimEntries);
                var option = pair[0].ToLowerInvariant();
                FlagError.Require(pair.Length == 2 && pair[1].Length > 0, "swift_container_sync_realms", $"realm {name}", $"field '{pair[0]}' has no value");
                if (option == "key")
                {
                    key = pair[1];
                }
                else if (option == "key2")
                {
                    key2 = pair[1];
                }
                else if (option.StartsWith("cluster_", StringComparison.Ordinal) && option.Length > 8)
                {
                    FlagError.Require(Uri.TryCreate(pair[1], UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https",
                        "swift_container_sync_realms", $"realm {name}", $"cluster endpoint of {option} is not an http(s) URL");
                    clusters[option[8..].ToUpperInvariant()] = pair[1];
                }
                else
                {
                    FlagError.Require(false, "swift_container_sync_realms", $"realm {name}", $"'{pair[0]}' is none of key, key2, cluster_<name>");
                }
            }
            FlagError.Require(name.Length > 0 && key is not null, "swift_container_sync_realms", section.Split(',')[0], "a realm needs a name and a key");
            parsed._realms[name] = new Realm(key!, key2, clusters);
        }
        return parsed;
    }

    /// <summary>The realm's key, or null for an unknown realm.</summary>
    public string? Key(string realm) => _realms.GetValueOrDefault(realm.ToUpperInvariant())?.Key;

    /// <summary>The realm's second key (accepted on incoming requests), or null.</summary>
    public string? Key2(string realm) => _realms.GetValueOrDefault(realm.ToUpperInvariant())?.Key2;

    /// <summary>The cluster's endpoint in the realm, or null.</summary>
    public string? Endpoint(string realm, string cluster) =>
        _realms.GetValueOrDefault(realm.ToUpperInvariant())?.Clusters.GetValueOrDefault(cluster.ToUpperInvariant());

    /// <summary>/info's <c>container_sync.realms</c>: each realm with clusters, as <c>{"REALM": {"clusters": {"NAME": {}}}}</c>.</summary>
    public IReadOnlyDictionary<string, object> Info() =>
        _realms.Where(r => r.Value.Clusters.Count > 0).ToDictionary(
            r => r.Key, r => (object)new Dictionary<string, object> { ["clusters"] = r.Value.Clusters.Keys.ToDictionary(c => c, _ => (object)new Dictionary<string, object>()) });

    /// <summary>
    /// swift's <c>get_sig</c>: the hex HMAC-SHA1, keyed with the realm's key, of
    /// <c>method\npath\nx-timestamp\nnonce\nuser_key</c>; X-Container-Sync-Auth carries <c>realm nonce sig</c>.
    /// </summary>
    public static string Signature(string method, string path, string timestamp, string nonce, string realmKey, string userKey)
    {
        var message = Encoding.UTF8.GetBytes($"{method}\n{path}\n{timestamp}\n{nonce}\n{userKey}");
        return Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(realmKey), message)).ToLowerInvariant();
    }

    /// <summary>Python's <c>urllib.parse.quote(text)</c> (safe '/'), over UTF-8: the path a signature covers.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' or '/')
            {
                output.Append(c);
            }
            else
            {
                output.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return output.ToString();
    }

    private sealed record Realm(string Key, string? Key2, Dictionary<string, string> Clusters);
}
