using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Identity.Ec2;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd bench compute --compute-url=http://HOST:8774 --ec2-url=http://HOST:8773/services/Cloud --keystone-url=... --user=U
/// --password=P --project=X --access-key=A --secret-key=S --image=GLANCE_ID</c>: fills the project up to
/// <c>--instances</c> servers through <c>POST /servers</c> (min_count batches; time to accept them), then measures
/// <c>GET /v2.1/servers/detail</c> and EC2 DescribeInstances latency and requests/s against a running api role.
/// The project's instance quota must allow the count (<c>cloudd manage project quota</c>).
/// </summary>
public static class BenchComputeCommand
{
    private static readonly Option<string> ComputeUrl = new("--compute-url") { Description = "OpenStack Compute API, e.g. http://127.0.0.1:8774", Required = true };
    private static readonly Option<string> Ec2Url = new("--ec2-url") { Description = "EC2 API, e.g. http://127.0.0.1:8773/services/Cloud", Required = true };
    private static readonly Option<string> KeystoneUrl = new("--keystone-url") { Description = "Identity endpoint, e.g. http://127.0.0.1:5000", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "User name", Required = true };
    private static readonly Option<string> Password = new("--password") { Description = "Password (default: CLOUDD_PASSWORD)" };
    private static readonly Option<string> Project = new("--project") { Description = "Project to scope to", Required = true };
    private static readonly Option<string> AccessKey = new("--access-key") { Description = "The user's EC2 access key", Required = true };
    private static readonly Option<string> SecretKey = new("--secret-key") { Description = "The user's EC2 secret key", Required = true };
    private static readonly Option<string> Image = new("--image") { Description = "Glance id of the image to boot", Required = true };
    private static readonly Option<int> Instances = new("--instances") { Description = "Servers in the project during the measurement", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int> Seconds = new("--seconds") { Description = "Duration of each req/s measurement", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Concurrency = new("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 4 };

    public static Command Create()
    {
        var command = new Command("compute", "Servers accepted/s, then GET /servers/detail and DescribeInstances latency and requests/s with N instances.")
        {
            ComputeUrl, Ec2Url, KeystoneUrl, User, Password, Project, AccessKey, SecretKey, Image, Instances, Seconds, Concurrency,
        };
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            var compute = parse.GetRequiredValue(ComputeUrl).TrimEnd('/');
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = Timeout.InfiniteTimeSpan };
            await BenchKeystoneCommand.AuthenticateAsync(http, parse.GetRequiredValue(KeystoneUrl), parse.GetRequiredValue(User), parse.GetValue(Password), parse.GetRequiredValue(Project), ct).ConfigureAwait(false);

            var count = await FillAsync(http, compute, parse.GetRequiredValue(Image), parse.GetValue(Instances), ct).ConfigureAwait(false);
            var (seconds, concurrency) = (parse.GetValue(Seconds), parse.GetValue(Concurrency));
            await BenchKeystoneCommand.Report($"GET /v2.1/servers/detail ({count} servers)", () => http.GetAsync($"{compute}/v2.1/servers/detail", ct), seconds, concurrency, ct).ConfigureAwait(false);
            var ec2 = new Uri(parse.GetRequiredValue(Ec2Url));
            var sequence = 0L;
            await BenchKeystoneCommand.Report($"EC2 DescribeInstances ({count} instances)", () =>
            {
                // The verifier refuses a replayed signature and SigV4 signs to the second, so every request differs by a counter.
                var form = $"Action=DescribeInstances&Version=2016-11-15&BenchSequence={Interlocked.Increment(ref sequence)}";
                var unsigned = Ec2Request.FromRaw("POST", ec2.Authority, ec2.AbsolutePath, null,
                    [KeyValuePair.Create("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), KeyValuePair.Create("Host", ec2.Authority)], Encoding.UTF8.GetBytes(form));
                var signed = Ec2RequestSigner.SignV4(unsigned, parse.GetRequiredValue(AccessKey), parse.GetRequiredValue(SecretKey), "nova", "ec2", DateTimeOffset.UtcNow);
                var request = new HttpRequestMessage(HttpMethod.Post, ec2) { Content = new ByteArrayContent(signed.Body.ToArray()) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
                request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.GetHeader("X-Amz-Date"));
                request.Headers.TryAddWithoutValidation("Authorization", signed.GetHeader("Authorization"));
                return http.SendAsync(request, ct);
            }, seconds, concurrency, ct).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Creates servers in batches of up to 100 until the project has <paramref name="target"/>; prints how fast the API accepted them.</summary>
    private static async Task<int> FillAsync(HttpClient http, string compute, string image, int target, CancellationToken ct)
    {
        using (var list = await http.GetAsync($"{compute}/v2.1/servers", ct).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(await list.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            var existing = list.IsSuccessStatusCode ? document.RootElement.GetProperty("servers").GetArrayLength() : throw new OperatorException($"server list failed: HTTP {(int)list.StatusCode}");
            var missing = target - existing;
            var watch = Stopwatch.StartNew();
            for (var made = 0; made < missing;)
            {
                var batch = Math.Min(100, missing - made);
                // Metadata as real servers carry it, so the list's figure includes reading and writing it.
                var metadata = new Dictionary<string, string> { ["bench"] = "compute", ["role"] = "web" };
                var json = JsonSerializer.Serialize(new { server = new { name = "bench", imageRef = image, flavorRef = "1", min_count = batch, max_count = batch, metadata } });
                using var created = await http.PostAsync($"{compute}/v2.1/servers", new StringContent(json, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
                if (!created.IsSuccessStatusCode)
                {
                    throw new OperatorException($"server create failed: HTTP {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
                }
                made += batch;
            }
            if (missing > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"POST /v2.1/servers accepted {missing} servers in {watch.Elapsed.TotalSeconds:0.00} s ({missing / watch.Elapsed.TotalSeconds:0.0}/s, batches of 100)"));
            }
            return Math.Max(target, existing);
        }
    }
}
