using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloud.Tests.Support;

/// <summary>
/// A steady create/delete load through the real Compute API while a fault happens: a few clients (one per project
/// and a second one for the admin), each creating a server, reading it, and deleting its oldest once it owns two,
/// with plain HTTP and Keystone tokens. Every request is recorded (<see cref="Outcomes"/>) with what made it
/// unclean, if anything: a 5xx other than 503, an error without a message, a stack trace in a body, or no answer
/// within <see cref="Bound"/> (a hang).
/// </summary>
public sealed class FaultLoad : IAsyncDisposable
{
    /// <summary>No request may take longer: past it, the request counts as a hang.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly string[] Users = ["berendt", "alice", "carol", "berendt"];

    private readonly ComputeApiCloud _cloud;
    private readonly HttpClient _http = new() { Timeout = Bound };
    private readonly ConcurrentQueue<FaultOutcome> _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _clients;

    private FaultLoad(ComputeApiCloud cloud)
    {
        _cloud = cloud;
        _clients = [.. Users.Select((user, i) => Task.Run(() => ClientAsync(user, i)))];
    }

    /// <summary>Seconds since the load started: the time base of every outcome, and of the marks a test takes with <see cref="Now"/>.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<FaultOutcome> Outcomes => [.. _outcomes];

    public static FaultLoad Start(ComputeApiCloud cloud) => new(cloud);

    /// <summary>Waits (bounded) until the load has had <paramref name="creates"/> servers accepted: it runs, before a fault.</summary>
    public Task UntilCreatedAsync(int creates) =>
        Poller.UntilAsync(() => _outcomes.Count(o => o.Request == "create" && o.Status == 202) >= creates, TimeSpan.FromSeconds(60), $"{creates} creates accepted");

    /// <summary>Waits (bounded) until a create sent after <paramref name="since"/> was accepted: the cloud takes work again.</summary>
    public Task UntilCreatedSinceAsync(double since, TimeSpan timeout) =>
        Poller.UntilAsync(() => _outcomes.Any(o => o.Request == "create" && o.Status == 202 && o.At >= since), timeout, "a create accepted after the fault");

    /// <summary>Stops the clients and waits for their requests in flight (each bounded).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    private async Task ClientAsync(string user, int client)
    {
        var owned = new Queue<string>();
        var token = "";
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            if (token.Length == 0)
            {
                token = await TokenAsync(user) ?? "";
                if (token.Length == 0)
                {
                    await PauseAsync();
                    continue;
                }
            }
            var created = await SendAsync("create", token, HttpMethod.Post, "/v2.1/servers",
                new { server = new { name = $"load-{client}-{n}", imageRef = _cloud.ImageId, flavorRef = "1" } });
            if (created.Status == 202)
            {
                owned.Enqueue(JsonDocument.Parse(created.Text).RootElement.GetProperty("server").GetProperty("id").GetString()!);
                await SendAsync("show", token, HttpMethod.Get, $"/v2.1/servers/{owned.Last()}");
            }
            if (owned.Count >= 2)
            {
                await SendAsync("delete", token, HttpMethod.Delete, $"/v2.1/servers/{owned.Dequeue()}");
            }
            if (created.Status == 401)
            {
                token = "";
            }
            await PauseAsync();
        }
    }

    // A client is a person's script, not a flood: the two cores are shared with the cloud under test.
    private async Task PauseAsync()
    {
        try
        {
            await Task.Delay(150, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string?> TokenAsync(string user)
    {
        var (password, project) = ComputeApiCloud.Account(user);
        var body = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
                scope = new { project = new { name = project, domain = new { id = "default" } } },
            },
        };
        var (outcome, response, _) = await SendCoreAsync("token", $"{_cloud.Cloud.KeystoneUrl}/v3/auth/tokens", null, HttpMethod.Post, body);
        using (response)
        {
            return outcome.Status == 201 && response!.Headers.TryGetValues("X-Subject-Token", out var values) ? values.Single() : null;
        }
    }

    /// <summary>Sends a Compute API request; returns how it ended and its whole body (the outcome keeps only its start).</summary>
    private async Task<(int Status, string Text)> SendAsync(string what, string token, HttpMethod method, string path, object? body = null)
    {
        var (outcome, response, text) = await SendCoreAsync(what, _cloud.Cloud.ComputeUrl + path, token, method, body);
        response?.Dispose();
        return (outcome.Status, text);
    }

    private async Task<(FaultOutcome Outcome, HttpResponseMessage? Response, string Text)> SendCoreAsync(string what, string url, string? token, HttpMethod method, object? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        var at = Now;
        FaultOutcome outcome;
        HttpResponseMessage? response = null;
        var text = "";
        try
        {
            // Not the stop token: a request in flight when the load stops still gets its answer, or its hang is seen.
            response = await _http.SendAsync(request);
            text = await response.Content.ReadAsStringAsync();
            outcome = FaultOutcome.Of(what, at, Now - at, (int)response.StatusCode, text);
        }
        catch (TaskCanceledException)
        {
            outcome = new FaultOutcome(what, at, Now - at, 0, "", $"no answer within {Bound.TotalSeconds:0}s (a hang)");
        }
        catch (HttpRequestException e)
        {
            outcome = new FaultOutcome(what, at, Now - at, 0, "", FaultOutcome.Unreachable + e.Message);
        }
        _outcomes.Enqueue(outcome);
        return (outcome, response, text);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
        _http.Dispose();
    }
}
