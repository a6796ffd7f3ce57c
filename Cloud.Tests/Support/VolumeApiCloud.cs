using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloud.Tests.Support;

/// <summary>
/// The three volume APIs (Cinder v3, EC2, nova's os-volumes) on a cloudd running api, scheduler, compute (fake
/// test-double driver) and glance, as <see cref="ComputeApiCloud"/> sets them up (berendt admin of testing, alice of other,
/// carol of third), with raw Cinder requests beside the real clients it runs.
/// </summary>
public sealed class VolumeApiCloud : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly Dictionary<string, (string Token, string Project)> _tokens = new(StringComparer.Ordinal);

    private TgtDaemon? _tgt;

    private VolumeApiCloud(ComputeApiCloud clients) => Clients = clients;

    /// <summary>volapi's own tgtd control port and iSCSI portal port (41-49 / 3341-3349 are this area's).</summary>
    public const int TgtControlPort = 41;

    public const int IscsiPort = 3341;

    /// <summary>The cloud and its clients (openstack, aws, raw nova requests).</summary>
    public ComputeApiCloud Clients { get; }

    public ApiCloud Cloud => Clients.Cloud;

    /// <param name="roles">The cloud's roles; api and scheduler at least.</param>
    /// <param name="extraFlags">More flags (a volume host's).</param>
    public static async Task<VolumeApiCloud> StartAsync(string roles = "api,scheduler,compute,glance", params string[] extraFlags)
    {
        var api = await ApiCloud.StartAsync(null, roles,
            ["--compute_driver=fake", "--report_interval=1", "--periodic_interval=1", "--host=volapihost", .. extraFlags]);
        return new VolumeApiCloud(await ComputeApiCloud.AroundAsync(api));
    }

    /// <summary>
    /// The same cloud with a volume host too: the volume role on the file driver under its state path, exporting through a
    /// private tgtd (<see cref="TgtControlPort"/>, portal 127.0.0.1:<see cref="IscsiPort"/>).
    /// </summary>
    public static async Task<VolumeApiCloud> StartWithVolumeHostAsync(params string[] extraFlags)
    {
        var tgt = await TgtDaemon.StartAsync(TgtControlPort, IscsiPort);
        try
        {
            var cloud = await StartAsync("api,scheduler,compute,glance,volume",
            [
                "--volume_driver=file", $"--tgt_control_port={TgtControlPort}", $"--iscsi_port={IscsiPort}", "--iscsi_ip_address=127.0.0.1",
                .. extraFlags,
            ]);
            cloud._tgt = tgt;
            return cloud;
        }
        catch
        {
            await tgt.DisposeAsync();
            throw;
        }
    }

    /// <summary>The private tgtd of <see cref="StartWithVolumeHostAsync"/>.</summary>
    public TgtDaemon Tgt => _tgt ?? throw new InvalidOperationException("this cloud has no volume host");

    /// <summary>Polls the volume until its status is <paramref name="status"/> (a status in error fails at once).</summary>
    public async Task<JsonElement> UntilStatusAsync(string user, string collection, string id, string status, TimeSpan? timeout = null)
    {
        JsonElement shown = default;
        var single = collection.TrimEnd('s');
        await Poller.UntilAsync(async () =>
        {
            var answer = await CinderAsync(user, HttpMethod.Get, $"/{collection}/{id}");
            if (status == "deleted" && answer.Status == 404)
            {
                return true;
            }
            shown = answer.Json.GetProperty(single);
            var now = shown.GetProperty("status").GetString();
            return now == status || (now!.StartsWith("error", StringComparison.Ordinal) ? throw new InvalidOperationException($"{single} {id} went to {now}: {answer}") : false);
        }, timeout ?? TimeSpan.FromSeconds(60), $"{single} {id} to be {status}");
        return shown;
    }

    /// <summary>The user's token and project id (cached: tokens outlive a test run).</summary>
    public async Task<(string Token, string Project)> LoginAsync(string user)
    {
        if (_tokens.TryGetValue(user, out var known))
        {
            return known;
        }
        var token = await Clients.TokenAsync(user);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Cloud.KeystoneUrl}/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await _http.SendAsync(request);
        var project = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetProperty("project").GetProperty("id").GetString()!;
        return _tokens[user] = (token, project);
    }

    /// <summary>
    /// A raw request to the Block Storage API as <paramref name="user"/>: <paramref name="path"/> below
    /// <c>/v3/{project}</c> (or absolute when it starts with <c>//</c>, e.g. <c>//v3/other-project/volumes</c>).
    /// </summary>
    public async Task<CinderAnswer> CinderAsync(string? user, HttpMethod method, string path, object? body = null, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (token, project) = user is null ? (null, "") : await LoginAsync(user);
        var url = path.StartsWith("//", StringComparison.Ordinal) ? Cloud.VolumeUrl + path[1..] : $"{Cloud.VolumeUrl}/v3/{project}{path}";
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        if (version is not null)
        {
            request.Headers.Add("OpenStack-API-Version", $"volume {version}");
        }
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new CinderAnswer((int)response.StatusCode, text, headers);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Clients.DisposeAsync();
        if (_tgt is not null)
        {
            await _tgt.DisposeAsync();
        }
    }
}
