using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Cloud.Tests.Support;

/// <summary>
/// Sends fuzz cases to one API, a few at a time, and keeps every answer that breaks the rules of hostile input:
/// a 5xx, a stack trace or an exception type in the body, no answer within <see cref="Timeout"/>, or a connection
/// the server dropped. Requests go out as written: no path canonicalisation, no redirects, no decompression.
/// </summary>
public sealed partial class FuzzRunner : IDisposable
{
    /// <summary>How long one request may take before it counts as a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int Parallelism = 4;

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly IReadOnlyList<(string Name, string Value)> _auth;

    /// <param name="baseUrl">Scheme, host and port (a path prefix is allowed).</param>
    /// <param name="auth">Headers every case carries unless it sets them itself (the caller's token).</param>
    /// <param name="source">A loopback source address to send from (the metadata service knows guests by theirs).</param>
    public FuzzRunner(string baseUrl, IReadOnlyList<(string Name, string Value)> auth, string? source = null)
    {
        _baseUrl = baseUrl;
        _auth = auth;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = Parallelism,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        };
        if (source is not null)
        {
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Cases the client itself refused to put on the wire (e.g. a header .NET will not send); they are not failures.</summary>
    public int Unsendable => _unsendable;

    private int _unsendable;

    /// <summary>Answers by status class (2xx, 4xx, ...), for the run's summary.</summary>
    public ConcurrentDictionary<int, int> StatusClasses { get; } = new();

    /// <summary>Sends every case; returns the failures, each naming its case.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IEnumerable<FuzzCase> cases)
    {
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (fuzz, _) =>
        {
            if (await CheckAsync(fuzz) is { } failure)
            {
                failures.Add(failure);
            }
        });
        return [.. failures.OrderBy(f => f, StringComparer.Ordinal)];
    }

    private async Task<string?> CheckAsync(FuzzCase fuzz)
    {
        HttpRequestMessage request;
        try
        {
            request = Build(fuzz);
        }
        catch (Exception e) when (e is UriFormatException or FormatException or InvalidOperationException or ArgumentException)
        {
            Interlocked.Increment(ref _unsendable);
            return null;
        }
        using (request)
        {
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                using var response = await _http.SendAsync(request, deadline.Token);
                // Bytes, decoded here: an answer may carry the hostile charset the case sent (Swift keeps an object's type).
                var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(deadline.Token));
                var status = (int)response.StatusCode;
                StatusClasses.AddOrUpdate(status / 100, 1, (_, n) => n + 1);
                if (status >= 500)
                {
                    return $"{status} for {fuzz.Describe()}\n    answer: {Prefix(body)}";
                }
                return StackTrace().IsMatch(body) ? $"stack trace ({status}) for {fuzz.Describe()}\n    answer: {Prefix(body)}" : null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return $"no answer within {Timeout.TotalSeconds} s for {fuzz.Describe()}";
            }
            catch (HttpRequestException e) when (e.InnerException is not (FormatException or ArgumentException or InvalidOperationException))
            {
                return $"connection failed ({e.Message} {e.InnerException?.Message}) for {fuzz.Describe()}";
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _unsendable);
                return null;
            }
        }
    }

    private HttpRequestMessage Build(FuzzCase fuzz)
    {
        var uri = new Uri(_baseUrl + fuzz.PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), uri);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }
        foreach (var (name, value) in _auth.Where(a => !fuzz.Headers.Any(h => string.Equals(h.Name, a.Name, StringComparison.OrdinalIgnoreCase))).Concat(fuzz.Headers))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    private static string Prefix(string body) => body.Length <= 400 ? body : body[..400] + "...";

    /// <summary>What leaks from an unhandled exception: a .NET frame, a source line, or an exception type's name.</summary>
    [GeneratedRegex(@"   at [A-Z][\w`]*\.|\.cs:line \d|\b[A-Z]\w*Exception\b")]
    private static partial Regex StackTrace();

    public void Dispose() => _http.Dispose();
}
