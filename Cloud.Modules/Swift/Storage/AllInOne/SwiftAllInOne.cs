using System.Security.Cryptography;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Modules.Swift.Proxy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Storage.AllInOne;

/// <summary>
/// An all-in-one object store: swift-proxy and swift-storage in one process (<c>cloudd --roles=all</c>,
/// <c>scripts/run-allinone.sh</c>) with <c>swift_allinone</c> on (the default). Whatever the operator has not configured it creates at start, once: rings
/// (account, container, object; one replica) over device <c>d1</c> in <c>swift_devices</c> when <c>swift_dir</c> holds
/// none, and, when <c>swift_tempauth_users</c> is empty, an operator's tempauth user kept in
/// <c>$state_path/swift-operator.rc</c> (mode 0600), a file to source for the swift client.
/// </summary>
public sealed partial class SwiftAllInOne(
    IOptions<CommonFlags> common, IOptions<SwiftRingFlags> rings, IOptions<SwiftProxyFlags> proxy, SwiftStorageFlags storage, ILogger<SwiftAllInOne> log)
{
    /// <summary>The generated user's account and name.</summary>
    public const string OperatorUser = "system:operator";

    private static readonly string[] Kinds = ["account", "container", "object"];
    private const string DeviceName = "d1";
    private const int PartPower = 10;

    /// <summary>Whether the operator left <c>swift_allinone</c> on.</summary>
    public bool Enabled => storage.SwiftAllInOne;

    /// <summary>The file holding the generated operator's credentials.</summary>
    public string OperatorFile => Path.Combine(Path.GetFullPath(common.Value.StatePath), "swift-operator.rc");

    /// <summary>
    /// Builds the rings when <c>swift_dir</c> has none of them, and the object ring of a storage policy added since
    /// (object-N.ring.gz, over the same device); an operator's rings are never touched.
    /// </summary>
    /// <exception cref="FlagException">The directories cannot be written.</exception>
    public void EnsureRings()
    {
        var dir = Path.GetFullPath(rings.Value.SwiftDir);
        var policyRings = rings.Value.Policies.All.Where(p => p.Index != 0).Select(p => SwiftStoragePolicies.RingName(p.Index));
        var missing = Kinds.Any(k => File.Exists(Path.Combine(dir, k + ".ring.gz")))
            ? policyRings.Where(k => !File.Exists(Path.Combine(dir, k + ".ring.gz"))).ToList()
            : Kinds.Concat(policyRings).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var devices = Path.GetFullPath(storage.SwiftDevices);
        var ip = ListenAddress.ClientHost(storage.SwiftStorageListen);
        try
        {
            Directory.CreateDirectory(dir);
            Directory.CreateDirectory(Path.Combine(devices, DeviceName));
            foreach (var kind in missing)
            {
                var port = kind switch { "account" => storage.SwiftAccountPort, "container" => storage.SwiftContainerPort, _ => storage.SwiftObjectPort };
                var builder = RingBuilder.Create(PartPower, 1, 1);
                builder.AddDevice(RingDevice.Parse($"z1-{ip}:{port}/{DeviceName}", 100));
                builder.Rebalance();
                builder.Save(Path.Combine(dir, kind + ".builder"));
                builder.WriteRing(Path.Combine(dir, kind + ".ring.gz"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RingBuilderException)
        {
            throw FlagError.Of($"all-in-one object store: cannot create its rings in --swift_dir={dir} over --swift_devices={devices}: {e.Message}");
        }
        LogRingsBuilt(log, string.Join(", ", missing), dir, Path.Combine(devices, DeviceName));
    }

    /// <summary>The operator's tempauth user (<c>account:user:key:.admin</c>), generated and saved on first use.</summary>
    /// <exception cref="FlagException">The file cannot be read, parsed or written.</exception>
    public string EnsureOperatorUser()
    {
        var file = OperatorFile;
        try
        {
            if (File.Exists(file))
            {
                var key = File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("export ST_KEY=", StringComparison.Ordinal))?["export ST_KEY=".Length..];
                return key is { Length: > 0 } && !key.Contains(',', StringComparison.Ordinal) && !key.Contains(':', StringComparison.Ordinal)
                    ? $"{OperatorUser}:{key}:{TempAuth.AdminGroup}"
                    : throw FlagError.Of($"all-in-one object store: {file} has no ST_KEY line; remove it to have a new key generated");
            }
            var generated = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(file, options))
            {
                writer.Write($"""
                    # The all-in-one object store's operator (tempauth), generated by cloudd on its first start. Keep it secret.
                    # Use it with:  . {file} && swift stat
                    export ST_AUTH={AuthUrl()}
                    export ST_USER={OperatorUser}
                    export ST_KEY={generated}

                    """);
            }
            LogOperatorCreated(log, file);
            return $"{OperatorUser}:{generated}:{TempAuth.AdminGroup}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FlagError.Of($"all-in-one object store: cannot keep the operator's credentials in {file}: {e.Message}");
        }
    }

    /// <summary>The tempauth URL a client on this host uses: the proxy's address, loopback when it listens on every interface.</summary>
    private string AuthUrl()
    {
        var flags = proxy.Value;
        var (host, port) = SwiftProxyModule.ParseBind(flags.SwiftProxyBind);
        var scheme = flags.SwiftCertFile.Length > 0 ? "https" : "http";
        return $"{scheme}://{ListenAddress.ClientHost(host)}:{port}/auth/v1.0";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "all-in-one object store: built the rings {Rings} in {Dir} (one replica) over the device {Device}")]
    private static partial void LogRingsBuilt(ILogger log, string rings, string dir, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "all-in-one object store: no swift_tempauth_users, so an operator user was generated; use it with: . {File} && swift stat")]
    private static partial void LogOperatorCreated(ILogger log, string file);
}
