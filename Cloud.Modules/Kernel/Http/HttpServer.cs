using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Logging;
using Cloud.Modules.Kernel.Reliability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Http;

/// <summary>
/// One HTTP endpoint of a role (Keystone on 5000, EC2 on 8773, ...), on Kestrel, started and stopped with the
/// role. Every request gets a request id (<c>X-Openstack-Request-Id</c>), a log scope with the role and that id,
/// a body size limit, and an error net: refusals become the API's error shape, anything else a 500 without a trace.
/// </summary>
public sealed partial class HttpServer(HttpServerOptions options, ILoggerFactory loggers) : IHostedService
{
    private static readonly string[] DefaultRequestIdHeaders = ["X-Openstack-Request-Id"];
    private readonly ILogger _log = loggers.CreateLogger($"Cloud.Modules.{options.Name}");
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
            options.Kestrel?.Invoke(k);
            if (options.Tls is { } tls)
            {
                var certificate = tls.Load();
                k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        if (options.Tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        if (options.Sockets is { } sockets)
        {
            builder.WebHost.UseSockets(sockets);
        }
        if (options.ReceiveBlockBytes is { } block)
        {
            // After Kestrel's own registration, so this one is the factory its transport is given.
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new LargeBlockPoolFactory(block));
        }
        builder.WebHost.UseUrls($"{(options.Tls is null ? "http" : "https")}://{Bracket(options.Listen)}:{options.Port}");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var requestId = options.NewRequestId?.Invoke(context) ?? RequestContext.NewRequestId();
            context.Items[nameof(RequestContext.RequestId)] = requestId;
            foreach (var header in options.RequestIdHeaders ?? DefaultRequestIdHeaders)
            {
                context.Response.Headers[header] = requestId;
            }
            using var role = _log.BeginScope(LogScopes.Role(options.Role));
            using var request = _log.BeginScope(LogScopes.Request(requestId));
            try
            {
                if (context.Request.ContentLength > options.MaxBodyBytes)
                {
                    // Refused before any handler: one that never reads the body would answer and leave Kestrel unable to
                    // drain it, which drops the keep-alive connection under the client's next request. Said now, with
                    // Connection: close, the client knows not to send another on it.
                    context.Response.Headers.Connection = "close";
                    await options.WriteError(context, StatusCodes.Status413PayloadTooLarge,
                        $"The request body is larger than {options.MaxBodyBytes} bytes.").ConfigureAwait(false);
                    LogRequest(context.Request.Method, context.Request.Path, context.Response.StatusCode);
                    return;
                }
                await next(context).ConfigureAwait(false);
            }
            catch (CloudException e)
            {
                await options.WriteError(context, StatusOf(e.Kind), e.Message).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                await options.WriteError(context, e.StatusCode, e.Message).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && TransientFaults.Classify(e) is { } what)
            {
                // The infrastructure, not the request: the client may retry, and must be told so, not given a 500.
                LogUnavailable(context.Request.Method, context.Request.Path, what, e.Message);
                if (!context.Response.HasStarted)
                {
                    context.Response.Headers.RetryAfter = "5";
                }
                await options.WriteError(context, StatusCodes.Status503ServiceUnavailable,
                    $"The service is temporarily unavailable: the {what} cannot be reached. Please retry later.").ConfigureAwait(false);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                LogUnexpected(e, context.Request.Method, context.Request.Path);
                await options.WriteError(context, StatusCodes.Status500InternalServerError, "The server has either erred or is incapable of performing the requested operation.").ConfigureAwait(false);
            }
            LogRequest(context.Request.Method, context.Request.Path, context.Response.StatusCode);
        });
        // Routing after the error net, so a routing failure is answered in the API's shape too.
        app.UseRouting();
        options.Map(app);
        app.MapFallback(context => options.WriteError(context, StatusCodes.Status404NotFound, $"The resource {context.Request.Path} could not be found."));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // An operator's mistake, not a crash: one line naming the flag, which `cloudd` turns into exit code 2.
            throw FlagError.Of($"{options.Name} cannot listen on {Bracket(options.Listen)}:{options.Port}: the address is already in use "
                + $"(another process holds it; choose another --{options.PortFlag ?? "port"} or stop that process)");
        }
        _app = app;
        LogListening(options.Name, options.Tls is null ? "http" : "https", options.Listen, options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static int StatusOf(CloudErrorKind kind) => kind switch
    {
        CloudErrorKind.NotFound => StatusCodes.Status404NotFound,
        CloudErrorKind.Conflict => StatusCodes.Status409Conflict,
        CloudErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        CloudErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        CloudErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string Bracket(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} listening on {Scheme}://{Listen}:{Port}")]
    private partial void LogListening(string name, string scheme, string listen, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status}")]
    private partial void LogRequest(string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the {What} is unavailable ({Reason})")]
    private partial void LogUnavailable(string method, string path, string what, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogUnexpected(Exception error, string method, string path);
}

/// <summary>What one HTTP endpoint serves and how it reports errors.</summary>
/// <param name="Role">The role serving it (log file).</param>
/// <param name="Name">A name for logs, e.g. Keystone.</param>
/// <param name="Listen">Address to bind.</param>
/// <param name="Port">Port to bind.</param>
/// <param name="Map">Adds the routes.</param>
/// <param name="WriteError">Writes an error in the API's own shape (status, message).</param>
/// <param name="MaxBodyBytes">Largest request body accepted (413 beyond). Default 1 MiB.</param>
/// <param name="Tls">Certificate and key to serve HTTPS with; null serves plain HTTP. Default null.</param>
/// <param name="PortFlag">The flag that sets the port, named when the port is taken. Default null.</param>
/// <param name="Kestrel">Further Kestrel settings of this endpoint (header encodings, header limits). Default null.</param>
/// <param name="NewRequestId">Makes a request's id in the API's own format; null uses <see cref="RequestContext.NewRequestId"/>. Default null.</param>
/// <param name="RequestIdHeaders">The response headers that carry the request id; null is X-Openstack-Request-Id alone. Default null.</param>
/// <param name="Sockets">Socket transport settings of this endpoint (how Kestrel receives); null keeps Kestrel's. Default null.</param>
/// <param name="ReceiveBlockBytes">The size of the blocks Kestrel receives into and sends from (<see cref="LargeBlockMemoryPool"/>), for an endpoint of bulk bodies; null keeps Kestrel's 4 KiB pool. Default null.</param>
public sealed record HttpServerOptions(
    string Role,
    string Name,
    string Listen,
    int Port,
    Action<WebApplication> Map,
    Func<HttpContext, int, string, Task> WriteError,
    long MaxBodyBytes = 1 << 20,
    TlsFiles? Tls = null,
    string? PortFlag = null,
    Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? Kestrel = null,
    Func<HttpContext, string>? NewRequestId = null,
    IReadOnlyList<string>? RequestIdHeaders = null,
    Action<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>? Sockets = null,
    int? ReceiveBlockBytes = null);
