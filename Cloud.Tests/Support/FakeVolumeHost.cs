using System.Collections.Concurrent;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Volume;

namespace Cloud.Tests.Support;

/// <summary>
/// A TEST DOUBLE of a volume host on <c>volume.&lt;host&gt;</c>: answers initialize_connection with a made-up iSCSI
/// connection (CHAP password <see cref="Password"/>) and records the connection calls; the rest is accepted and ignored.
/// </summary>
public sealed class FakeVolumeHost(string host) : IRpcEndpoint
{
    public const string Password = "fake-chap-secret";

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, initialize_connection fails with this message (a volume host that cannot export).</summary>
    public string? FailConnectWith { get; set; }

    public Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case InitializeConnection m:
                Calls.Enqueue($"initialize {m.VolumeUuid} {m.ConnectorHost}");
                return FailConnectWith is { } failure
                    ? throw new InvalidOperationException(failure)
                    : Task.FromResult<object?>(new VolumeConnection(m.VolumeUuid, $"{host}:3331", $"iqn.2010-10.org.openstack:volume-{m.VolumeUuid}", 1, "CHAP", "chap-user", Password));
            case TerminateConnection m:
                Calls.Enqueue($"terminate {m.VolumeUuid} {m.ConnectorHost}");
                return Task.FromResult<object?>(null);
            default:
                Calls.Enqueue(message.GetType().Name);
                return Task.FromResult<object?>(null);
        }
    }
}
