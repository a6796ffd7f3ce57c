using System.CommandLine;
using System.Diagnostics;
using System.Text;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd bench keystone --url=http://HOST:5000 --user=U --password=P --project=X</c>: token issue and
/// token validation requests per second against a running Keystone endpoint (cloudd's or any other).
/// </summary>
public static class BenchKeystoneCommand
{
    private static readonly Option<string> Url = new("--url") { Description = "Identity endpoint, e.g. http://127.0.0.1:5000", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "User name", Required = true };
    private static readonly Option<string> Password = new("--password") { Description = "Password (default: CLOUDD_PASSWORD)" };
    private static readonly Option<string> Project = new("--project") { Description = "Project to scope to", Required = true };
    private static readonly Option<int> Seconds = new("--seconds") { Description = "Duration of each measurement", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Concurrency = new("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 16 };

    public static Command Create()
    {
        var command = new Command("keystone", "Token issue and validation requests/s against a Keystone v3 endpoint.") { Url, User, Password, Project, Seconds, Concurrency };
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            var url = parse.GetRequiredValue(Url).TrimEnd('/');
            var password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("CLOUDD_PASSWORD") ?? throw new OperatorException("give --password or CLOUDD_PASSWORD");
            var body = TokenRequestBody(parse.GetRequiredValue(User), password, parse.GetRequiredValue(Project));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 });
            async Task<HttpResponseMessage> Issue() => await http.PostAsync($"{url}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
            var first = await Issue().ConfigureAwait(false);
            if (!first.IsSuccessStatusCode)
            {
                throw new OperatorException($"token issue failed: HTTP {(int)first.StatusCode}");
            }
            var token = first.Headers.GetValues("X-Subject-Token").Single();
            async Task<HttpResponseMessage> Validate()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/v3/auth/tokens");
                request.Headers.Add("X-Auth-Token", token);
                request.Headers.Add("X-Subject-Token", token);
                return await http.SendAsync(request, ct).ConfigureAwait(false);
            }
            await Report("token issue", Issue, parse.GetValue(Seconds), parse.GetValue(Concurrency), ct).ConfigureAwait(false);
            await Report("token validate", Validate, parse.GetValue(Seconds), parse.GetValue(Concurrency), ct).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Issues a project-scoped token (password from <paramref name="password"/> or CLOUDD_PASSWORD) and makes
    /// <paramref name="http"/> send it on every request, for the benchmarks of token-authenticated APIs.
    /// </summary>
    internal static async Task AuthenticateAsync(HttpClient http, string keystoneUrl, string user, string? password, string project, CancellationToken ct)
    {
        password ??= Environment.GetEnvironmentVariable("CLOUDD_PASSWORD") ?? throw new OperatorException("give --password or CLOUDD_PASSWORD");
        var body = TokenRequestBody(user, password, project);
        using var issued = await http.PostAsync($"{keystoneUrl.TrimEnd('/')}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
        var token = issued.IsSuccessStatusCode ? issued.Headers.GetValues("X-Subject-Token").Single() : throw new OperatorException($"token issue failed: HTTP {(int)issued.StatusCode}");
        http.DefaultRequestHeaders.Add("X-Auth-Token", token);
    }

    /// <summary>A Keystone v3 password request scoped to <paramref name="project"/> (Default domain).</summary>
    internal static string TokenRequestBody(string user, string password, string project) => System.Text.Json.JsonSerializer.Serialize(new
    {
        auth = new
        {
            identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
            scope = new { project = new { name = project, domain = new { id = "default" } } },
        },
    });

    /// <summary>Sends requests from <paramref name="concurrency"/> loops for <paramref name="seconds"/> and prints req/s and latency.</summary>
    internal static async Task Report(string what, Func<Task<HttpResponseMessage>> send, int seconds, int concurrency, CancellationToken ct)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var watch = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < until)
            {
                var one = Stopwatch.StartNew();
                using var response = await send().ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(one.Elapsed.TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, ct))).ConfigureAwait(false);
        var sorted = latencies.Order().ToList();
        Console.WriteLine($"{what}, c={concurrency}: {sorted.Count / watch.Elapsed.TotalSeconds:0.0} req/s, p50 {BenchCommand.Percentile(sorted, 0.5):0.0} ms, "
            + $"p99 {BenchCommand.Percentile(sorted, 0.99):0.0} ms, {failures} failed");
    }
}
