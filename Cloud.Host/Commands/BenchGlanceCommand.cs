using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd bench glance --url=http://HOST:9292 --keystone-url=http://HOST:5000 --user=U --password=P --project=X</c>:
/// upload and download MB/s of an image next to a <c>dd</c> of the same size, list latency with many images, and
/// <c>GET /v2/images/{id}</c> requests per second, against a running image API (cloudd's or any glance).
/// </summary>
public static class BenchGlanceCommand
{
    private static readonly Option<string> Url = new("--url") { Description = "Image API, e.g. http://127.0.0.1:9292", Required = true };
    private static readonly Option<string> KeystoneUrl = new("--keystone-url") { Description = "Identity endpoint, e.g. http://127.0.0.1:5000", Required = true };
    private static readonly Option<string> User = new("--user") { Description = "User name", Required = true };
    private static readonly Option<string> Password = new("--password") { Description = "Password (default: CLOUDD_PASSWORD)" };
    private static readonly Option<string> Project = new("--project") { Description = "Project to scope to", Required = true };
    private static readonly Option<int> SizeMib = new("--size-mib") { Description = "Size of the uploaded image in MiB", DefaultValueFactory = _ => 1024 };
    private static readonly Option<int> Images = new("--images") { Description = "Images in the list for the list latency", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<string> DdDir = new("--dd-dir") { Description = "Directory on the store's disk for the dd comparison (e.g. $state_path/images)", DefaultValueFactory = _ => "." };
    private static readonly Option<int?> ServerPid = new("--server-pid") { Description = "Process id of the glance server, to report its peak RSS around the upload" };
    private static readonly Option<int> Seconds = new("--seconds") { Description = "Duration of the req/s measurement", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Concurrency = new("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 16 };

    public static Command Create()
    {
        var command = new Command("glance", "Image upload/download MB/s (next to dd), list latency and image show requests/s.")
        {
            Url, KeystoneUrl, User, Password, Project, SizeMib, Images, DdDir, ServerPid, Seconds, Concurrency,
        };
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            var url = parse.GetRequiredValue(Url).TrimEnd('/');
            var password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("CLOUDD_PASSWORD") ?? throw new OperatorException("give --password or CLOUDD_PASSWORD");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = Timeout.InfiniteTimeSpan };
            var body = BenchKeystoneCommand.TokenRequestBody(parse.GetRequiredValue(User), password, parse.GetRequiredValue(Project));
            using var issued = await http.PostAsync($"{parse.GetRequiredValue(KeystoneUrl).TrimEnd('/')}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
            var token = issued.IsSuccessStatusCode ? issued.Headers.GetValues("X-Subject-Token").Single() : throw new OperatorException($"token issue failed: HTTP {(int)issued.StatusCode}");
            http.DefaultRequestHeaders.Add("X-Auth-Token", token);
            var bench = new GlanceBench(http, url, ct);

            var bytes = (long)parse.GetValue(SizeMib) << 20;
            var id = await bench.UploadAndDownloadAsync(bytes, parse.GetValue(ServerPid)).ConfigureAwait(false);
            Dd(bytes, parse.GetValue(DdDir)!);
            await bench.ListLatencyAsync(parse.GetValue(Images), parse.GetValue(Concurrency)).ConfigureAwait(false);
            await BenchKeystoneCommand.Report("GET /v2/images/{id}", () => http.GetAsync($"{url}/v2/images/{id}", ct), parse.GetValue(Seconds), parse.GetValue(Concurrency), ct).ConfigureAwait(false);
            await bench.DeleteAsync([id]).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Writes the same number of bytes with <c>dd ... conv=fsync</c> (the store fsyncs too) and prints MB/s.</summary>
    private static void Dd(long bytes, string directory)
    {
        var target = Path.Combine(directory, $"cloudd-bench-dd-{Environment.ProcessId}");
        var start = new ProcessStartInfo("dd") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "if=/dev/zero", $"of={target}", "bs=1M", $"count={bytes >> 20}", "conv=fsync" })
        {
            start.ArgumentList.Add(arg);
        }
        var watch = Stopwatch.StartNew();
        using (var dd = Process.Start(start)!)
        {
            dd.StandardError.ReadToEnd();
            dd.WaitForExit();
        }
        var elapsed = watch.Elapsed.TotalSeconds;
        File.Delete(target);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dd write {bytes >> 20} MiB (conv=fsync) to {directory}: {bytes / 1e6 / elapsed:0.0} MB/s"));
    }

    /// <summary>The measurements that talk to the image API.</summary>
    private sealed class GlanceBench(HttpClient http, string url, CancellationToken ct)
    {
        public async Task<string> UploadAndDownloadAsync(long bytes, int? serverPid)
        {
            var id = await CreateAsync("bench-upload").ConfigureAwait(false);
            var before = PeakRss(serverPid);
            var content = new StreamContent(new PatternStream(bytes), 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = bytes;
            var watch = Stopwatch.StartNew();
            using (var put = await http.PutAsync($"{url}/v2/images/{id}/file", content, ct).ConfigureAwait(false))
            {
                Check(put, "upload");
            }
            var upload = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upload {bytes >> 20} MiB: {bytes / 1e6 / upload:0.0} MB/s"));
            if (serverPid is { } pid)
            {
                Console.WriteLine($"server peak RSS (VmHWM) of pid {pid}: {before} before the upload, {PeakRss(pid)} after");
            }
            // The first download fills an API node's cache when the store is remote; the second reads the cache (or,
            // for the file store, the store's file in place again).
            await DownloadAsync(id, bytes, "download").ConfigureAwait(false);
            await DownloadAsync(id, bytes, "download again").ConfigureAwait(false);
            return id;
        }

        private async Task DownloadAsync(string id, long bytes, string what)
        {
            var watch = Stopwatch.StartNew();
            using (var get = await http.GetAsync($"{url}/v2/images/{id}/file", HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
            {
                Check(get, what);
                await (await get.Content.ReadAsStreamAsync(ct).ConfigureAwait(false)).CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {bytes >> 20} MiB: {bytes / 1e6 / watch.Elapsed.TotalSeconds:0.0} MB/s"));
        }

        public async Task ListLatencyAsync(int images, int concurrency)
        {
            var created = new ConcurrentBag<string>();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= images)
                {
                    created.Add(await CreateAsync($"bench-list-{Guid.NewGuid():N}").ConfigureAwait(false));
                }
            }, ct))).ConfigureAwait(false);
            foreach (var query in new[] { "", "?limit=1000", "?sort_key=name&sort_dir=asc&limit=200", "?name=bench-upload" })
            {
                var samples = new List<double>();
                for (var n = 0; n < 20; n++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await http.GetAsync($"{url}/v2/images{query}", ct).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                    Check(response, "list");
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                }
                samples.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"GET /v2/images{query} with {images} images: p50 {BenchCommand.Percentile(samples, 0.5):0.0} ms, p99 {BenchCommand.Percentile(samples, 0.99):0.0} ms"));
            }
            await DeleteAsync(created).ConfigureAwait(false);
        }

        public async Task DeleteAsync(IEnumerable<string> ids) =>
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
            {
                using var response = await http.DeleteAsync($"{url}/v2/images/{id}", token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        private async Task<string> CreateAsync(string name)
        {
            var json = JsonSerializer.Serialize(new { name, disk_format = "raw", container_format = "bare" });
            using var response = await http.PostAsync($"{url}/v2/images", new StringContent(json, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
            Check(response, "image create");
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            return document.RootElement.GetProperty("id").GetString()!;
        }

        private static void Check(HttpResponseMessage response, string what)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new OperatorException($"{what} failed: HTTP {(int)response.StatusCode}");
            }
        }

        private static string PeakRss(int? pid) => pid is { } p && File.Exists($"/proc/{p}/status")
            ? File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?[6..].Trim() ?? "?"
            : "?";
    }

    /// <summary>An image body of <paramref name="length"/> generated bytes, never held in memory.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private static readonly byte[] Pattern = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 16);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, length - _position), Pattern.Length - (_position % Pattern.Length));
            Pattern.AsSpan((int)(_position % Pattern.Length), n).CopyTo(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
