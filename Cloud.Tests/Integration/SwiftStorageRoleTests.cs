using System.Net;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd --roles=swift-storage</c>: the object, container and account servers of one storage host.</summary>
[Category("Integration")]
public sealed class SwiftStorageRoleTests
{
    [Test]
    public async Task An_object_written_to_the_storage_role_is_listed_and_read_back()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "devices", "sda5"));
        var (objectPort, containerPort, accountPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        string[] flags =
        [
            $"--state_path={dir.Path}", $"--swift_devices={dir.Path}/devices", "--swift_storage_listen=127.0.0.1",
            $"--swift_object_port={objectPort}", $"--swift_container_port={containerPort}", $"--swift_account_port={accountPort}",
        ];
        (await CloudProcess.RunAsync(["manage", "db", "sync", .. flags])).ExitCode.Should().Be(0);
        await using var storage = CloudProcess.Start(["--roles=swift-storage", .. flags]);
        using var http = new HttpClient();
        var ts = "1764000000.00000";
        await Poller.UntilAsync(async () =>
        {
            try
            {
                await http.GetAsync($"http://127.0.0.1:{accountPort}/sda5/1/AUTH_test");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the account server");

        async Task<HttpStatusCode> Send(HttpMethod method, string url, HttpContent? body, params (string, string)[] headers)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            return (await http.SendAsync(request)).StatusCode;
        }

        (await Send(HttpMethod.Put, $"http://127.0.0.1:{accountPort}/sda5/1/AUTH_test", null, ("X-Timestamp", ts))).Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, $"http://127.0.0.1:{containerPort}/sda5/2/AUTH_test/photos", null, ("X-Timestamp", ts))).Should().Be(HttpStatusCode.Created);
        var content = new StringContent("hello swift", Encoding.UTF8, "text/plain");
        (await Send(HttpMethod.Put, $"http://127.0.0.1:{objectPort}/sda5/3/AUTH_test/photos/cat.txt", content, ("X-Timestamp", ts))).Should().Be(HttpStatusCode.Created);
        (await Send(HttpMethod.Put, $"http://127.0.0.1:{containerPort}/sda5/2/AUTH_test/photos/cat.txt", null,
            ("X-Timestamp", ts), ("X-Size", "11"), ("X-Content-Type", "text/plain"), ("X-Etag", "0d3c3b3ad7dd6ad6dd7ad6d1c4a4e0b0"))).Should().Be(HttpStatusCode.Created);

        (await http.GetStringAsync($"http://127.0.0.1:{objectPort}/sda5/3/AUTH_test/photos/cat.txt")).Should().Be("hello swift");
        (await http.GetStringAsync($"http://127.0.0.1:{containerPort}/sda5/2/AUTH_test/photos?format=json")).Should().Contain("\"name\":\"cat.txt\"");
        Directory.EnumerateFiles(Path.Combine(dir.Path, "devices", "sda5", "objects"), "*.data", SearchOption.AllDirectories).Should().ContainSingle();
    }
}
