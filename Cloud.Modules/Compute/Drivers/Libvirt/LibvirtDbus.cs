using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// A hand-written proxy for the few libvirt-dbus methods the driver needs (<c>org.libvirt.Connect</c>,
/// <c>org.libvirt.Domain</c> and <c>org.libvirt.Secret</c> on the bus name <c>org.libvirt</c>), over Tmds.DBus.Protocol. Connects lazily to the
/// system bus (<c>DBUS_SYSTEM_BUS_ADDRESS</c> or /run/dbus/system_bus_socket), reconnects after the bus went away,
/// and keeps the <c>DomainEvent</c> subscription alive across reconnects. Every call is cancellable; libvirt's
/// errors become <see cref="LibvirtException"/> carrying libvirt's message.
/// </summary>
public sealed partial class LibvirtDbus(string connectPath, ILogger log) : IAsyncDisposable
{
    private const string Service = "org.libvirt";
    private const string ConnectInterface = "org.libvirt.Connect";
    private const string DomainInterface = "org.libvirt.Domain";
    private const string SecretInterface = "org.libvirt.Secret";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private DBusConnection? _connection;
    private Action<DomainEvent>? _onEvent;
    private Task? _events;

    private delegate void BodyWriter(ref MessageWriter writer);

    /// <summary>The libvirt-dbus object of the hypervisor connection, e.g. <c>/org/libvirt/QEMU</c> for qemu:///system.</summary>
    public string ConnectPath => connectPath;

    /// <summary>The system bus address, read anew on each connect so a test host can run its own bus.</summary>
    public static string SystemBusAddress() =>
        Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } address ? address : "unix:path=/run/dbus/system_bus_socket";

    public Task<ObjectPath[]> ListDomainsAsync(uint flags, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "ListDomains", "u", (ref MessageWriter w) => w.WriteUInt32(flags),
            static (m, _) => m.GetBodyReader().ReadArrayOfObjectPath(), cancellationToken);

    public Task<string> DefineXmlAsync(string xml, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "DomainDefineXML", "s", (ref MessageWriter w) => w.WriteString(xml), ReadPath, cancellationToken);

    public Task<string> LookupByNameAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "DomainLookupByName", "s", (ref MessageWriter w) => w.WriteString(name), ReadPath, cancellationToken);

    public Task<string> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "GetCapabilities", null, null, static (m, _) => m.GetBodyReader().ReadString(), cancellationToken);

    /// <summary>
    /// What libvirt offers domains of <paramref name="arch"/>, <paramref name="machine"/> and <paramref name="virtType"/>
    /// (virConnectGetDomainCapabilities); the first call for an emulator makes libvirtd probe that QEMU binary.
    /// </summary>
    public Task<string> GetDomainCapabilitiesAsync(string arch, string machine, string virtType, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "GetDomainCapabilities", "ssssu", (ref MessageWriter w) =>
        {
            w.WriteString("");
            w.WriteString(arch);
            w.WriteString(machine);
            w.WriteString(virtType);
            w.WriteUInt32(0);
        }, static (m, _) => m.GetBodyReader().ReadString(), cancellationToken);

    /// <summary>The host's free memory in bytes.</summary>
    public Task<ulong> NodeGetFreeMemoryAsync(CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "NodeGetFreeMemory", null, null, static (m, _) => m.GetBodyReader().ReadUInt64(), cancellationToken);

    /// <summary>A lifecycle method of <c>org.libvirt.Domain</c> that takes only flags: Create, Destroy, Shutdown, Reboot, Reset, Undefine.</summary>
    public Task DomainCallAsync(string domain, string method, CancellationToken cancellationToken, uint flags = 0) =>
        CallAsync(domain, DomainInterface, method, "u", (ref MessageWriter w) => w.WriteUInt32(flags), static (_, _) => true, cancellationToken);

    /// <summary>A method of <c>org.libvirt.Domain</c> without arguments: Suspend (pause the vCPUs), Resume.</summary>
    public Task DomainCallWithoutFlagsAsync(string domain, string method, CancellationToken cancellationToken) =>
        CallAsync(domain, DomainInterface, method, null, null, static (_, _) => true, cancellationToken);

    /// <summary>virDomainState and its reason.</summary>
    public Task<(int State, int Reason)> GetStateAsync(string domain, CancellationToken cancellationToken) =>
        CallAsync(domain, DomainInterface, "GetState", "u", (ref MessageWriter w) => w.WriteUInt32(0), static (m, _) =>
        {
            var r = m.GetBodyReader();
            return (r.ReadInt32(), r.ReadInt32());
        }, cancellationToken);

    /// <summary>The domain's XML: as it runs, or as defined with <paramref name="flags"/> 2 (VIR_DOMAIN_XML_INACTIVE).</summary>
    public Task<string> GetXmlDescAsync(string domain, CancellationToken cancellationToken, uint flags = 0) =>
        CallAsync(domain, DomainInterface, "GetXMLDesc", "u", (ref MessageWriter w) => w.WriteUInt32(flags), static (m, _) => m.GetBodyReader().ReadString(), cancellationToken);

    /// <summary>AttachDevice or DetachDevice with <paramref name="flags"/> (1 live, 2 config).</summary>
    public Task DeviceCallAsync(string domain, string method, string xml, uint flags, CancellationToken cancellationToken) =>
        CallAsync(domain, DomainInterface, method, "su", (ref MessageWriter w) =>
        {
            w.WriteString(xml);
            w.WriteUInt32(flags);
        }, static (_, _) => true, cancellationToken);

    /// <summary>Defines (or redefines, same uuid) a secret from its XML; returns its object path.</summary>
    public Task<string> SecretDefineXmlAsync(string xml, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "SecretDefineXML", "su", (ref MessageWriter w) =>
        {
            w.WriteString(xml);
            w.WriteUInt32(0);
        }, ReadPath, cancellationToken);

    /// <summary>The secret's object path by its uuid; libvirt's "Secret not found" when there is none.</summary>
    public Task<string> SecretLookupByUuidAsync(string uuid, CancellationToken cancellationToken) =>
        CallAsync(connectPath, ConnectInterface, "SecretLookupByUUID", "s", (ref MessageWriter w) => w.WriteString(uuid), ReadPath, cancellationToken);

    /// <summary>Sets a secret's value. The value travels only in this message's body: never logged, never in an error.</summary>
    public Task SecretSetValueAsync(string secret, byte[] value, CancellationToken cancellationToken) =>
        CallAsync(secret, SecretInterface, "SetValue", "ayu", (ref MessageWriter w) =>
        {
            w.WriteArray(value);
            w.WriteUInt32(0);
        }, static (_, _) => true, cancellationToken);

    /// <summary>Removes a secret.</summary>
    public Task SecretUndefineAsync(string secret, CancellationToken cancellationToken) =>
        CallAsync(secret, SecretInterface, "Undefine", null, null, static (_, _) => true, cancellationToken);

    /// <summary>A string property of a domain (Name, UUID, ...).</summary>
    public Task<string> GetDomainPropertyAsync(string domain, string property, CancellationToken cancellationToken) =>
        CallAsync(domain, "org.freedesktop.DBus.Properties", "Get", "ss", (ref MessageWriter w) =>
        {
            w.WriteString(DomainInterface);
            w.WriteString(property);
        }, static (m, _) => m.GetBodyReader().ReadVariantValue().GetString(), cancellationToken);

    /// <summary>
    /// Delivers every <c>DomainEvent</c> signal to <paramref name="handler"/> from now on, resubscribing whenever the
    /// bus connection is re-established (libvirt-dbus restarts need nothing: the match is on its well-known name).
    /// </summary>
    public void SubscribeDomainEvents(Action<DomainEvent> handler)
    {
        lock (_stopping)
        {
            _onEvent += handler;
            _events ??= Task.Run(() => PumpEventsAsync(_stopping.Token));
        }
    }

    private async Task PumpEventsAsync(CancellationToken stopping)
    {
        var rule = new MatchRule { Type = MessageType.Signal, Sender = Service, Path = connectPath, Interface = ConnectInterface, Member = "DomainEvent" };
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var connection = await ConnectionAsync(stopping).ConfigureAwait(false);
                using (await connection.AddMatchAsync(rule, static (m, _) =>
                {
                    var r = m.GetBodyReader();
                    return new DomainEvent(UuidOf(r.ReadObjectPathAsString()), r.ReadInt32(), r.ReadInt32());
                }, Deliver, emitOnCapturedContext: false).ConfigureAwait(false))
                {
                    if (failing)
                    {
                        LogEventsBack(connectPath);
                        failing = false;
                    }
                    await connection.DisconnectedAsync().WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    LogEventsLost(connectPath, e.Message);
                    failing = true;
                }
            }
            try
            {
                await Task.Delay(ReconnectDelay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Deliver(Notification<DomainEvent> notification)
    {
        if (!notification.HasValue)
        {
            return;
        }
        try
        {
            _onEvent?.Invoke(notification.Value);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e);
        }
    }

    /// <summary>libvirt-dbus names domains <c>…/domain/_&lt;uuid with - as _&gt;</c>.</summary>
    internal static string UuidOf(string domainPath)
    {
        var last = domainPath[(domainPath.LastIndexOf('/') + 1)..];
        return last.TrimStart('_').Replace('_', '-');
    }

    private static string ReadPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    private async Task<T> CallAsync<T>(string path, string @interface, string member, string? signature, BodyWriter? body, MessageValueReader<T> reader, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        var writer = connection.GetMessageWriter();
        MessageBuffer message;
        try
        {
            writer.WriteMethodCallHeader(Service, path, @interface, member, signature);
            body?.Invoke(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        try
        {
            // The call itself cannot be withdrawn from the bus; cancelling stops waiting for its reply.
            return await connection.CallMethodAsync(message, reader).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException e) when (e.ErrorName == "org.libvirt.Error")
        {
            throw new LibvirtException(e.ErrorMessage, inner: e);
        }
        catch (DBusErrorReplyException e)
        {
            throw new LibvirtException($"libvirt-dbus ({Service} {path}): {e.ErrorMessage}", unreachable: e.ErrorName.StartsWith("org.freedesktop.DBus.Error.", StringComparison.Ordinal), e);
        }
        catch (DBusExceptionBase e)
        {
            Forget(connection);
            throw new LibvirtException($"system bus {SystemBusAddress()}: {e.Message}", unreachable: true, e);
        }
    }

    private async Task<DBusConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } connected)
        {
            return connected;
        }
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { } raced)
            {
                return raced;
            }
            var address = SystemBusAddress();
            var connection = new DBusConnection(address);
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                connection.Dispose();
                throw new LibvirtException($"cannot connect to the system bus {address}: {e.Message}", unreachable: true, e);
            }
            _connection = connection;
            _ = ForgetWhenDisconnectedAsync(connection);
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task ForgetWhenDisconnectedAsync(DBusConnection connection)
    {
        await connection.DisconnectedAsync().ConfigureAwait(false);
        Forget(connection);
    }

    private void Forget(DBusConnection connection)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) == connection)
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_events is { } events)
        {
            await events.ConfigureAwait(false);
        }
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            connection.Dispose();
        }
        _stopping.Dispose();
        _connecting.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "libvirt domain events from {Path} lost: {Reason}; resubscribing")]
    private partial void LogEventsLost(string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "libvirt domain events from {Path} subscribed again")]
    private partial void LogEventsBack(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "a libvirt domain event handler failed")]
    private partial void LogHandlerFailed(Exception error);
}
