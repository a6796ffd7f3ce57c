using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Swift.Storage.Updater;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>The object server's replication verbs (REPLICATE, SYNC) and its container updates.</summary>
public sealed class ObjectReplicationEndpointTests
{
    private const string T1 = "1764000001.00000";
    private const string T2 = "1764000002.00000";
    private ObjectServerHarness _server = null!;

    [SetUp]
    public async Task Start() => _server = await ObjectServerHarness.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task Replicate_answers_the_suffix_hashes_of_a_partition_and_nothing_for_an_empty_one()
    {
        (await _server.PutAsync("o", T1, "hello")).StatusCode.Should().Be(HttpStatusCode.Created);
        var suffix = _server.Hash.Hex("a", "c", "o")[^3..];

        var hashes = await HashesAsync("/sda1/0");

        hashes.Keys.Should().BeEquivalentTo([suffix]);
        (await HashesAsync("/sda1/9")).Should().BeEmpty();
        Directory.Exists(Path.Combine(_server.DevicePath, "objects", "9")).Should().BeFalse("asking must not create partitions");
        (await _server.SendAsync(new HttpMethod("REPLICATE"), "/sda1/0/xyz")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Sync_installs_a_newer_file_refuses_an_older_one_and_refuses_content_that_does_not_match_its_etag()
    {
        (await _server.PutAsync("o", T1, "old")).StatusCode.Should().Be(HttpStatusCode.Created);
        var hash = _server.Hash.Hex("a", "c", "o");

        (await SyncAsync(hash, T2, "new", "new")).Should().Be(HttpStatusCode.Created);
        (await SyncAsync(hash, T1, "old", "old")).Should().Be(HttpStatusCode.Conflict);
        (await SyncAsync(hash, "1764000003.00000", "rotten", "not rotten")).Should().Be(HttpStatusCode.UnprocessableEntity);

        (await (await _server.SendAsync(HttpMethod.Get, "/sda1/0/a/c/o")).Content.ReadAsStringAsync()).Should().Be("new");
        _server.FileNames("o").Should().Equal($"{T2}.data");
    }

    [Test]
    public async Task A_container_update_that_cannot_be_delivered_is_kept_as_an_async_pending()
    {
        var closed = FreePort.Next();
        var put = await _server.PutAsync("o", T1, "hello",
            (ContainerUpdateSender.HostHeader, $"127.0.0.1:{closed}"), (ContainerUpdateSender.DeviceHeader, "sdc1"), (ContainerUpdateSender.PartitionHeader, "5"));

        put.StatusCode.Should().Be(HttpStatusCode.Created, "a container that is down does not fail the object write");
        var pending = AsyncPendings.Under(_server.DevicePath).Should().ContainSingle().Subject;
        var hash = _server.Hash.Hex("a", "c", "o");
        Path.GetFileName(pending).Should().Be($"{hash}-{T1}");
        Path.GetFileName(Path.GetDirectoryName(pending)).Should().Be(hash[^3..]);
        var update = ContainerUpdate.FromJson(File.ReadAllBytes(pending))!;
        (update.Op, update.Account, update.Container, update.Object).Should().Be(("PUT", "a", "c", "o"));
        update.Headers.Should().Contain("X-Size", "5").And.Contain("X-Timestamp", T1);
    }

    private async Task<Dictionary<string, string>> HashesAsync(string path)
    {
        using var answer = await _server.SendAsync(new HttpMethod("REPLICATE"), path);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await answer.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpStatusCode> SyncAsync(string hash, string timestamp, string content, string etagOf)
    {
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["name"] = "/a/c/o",
            ["X-Timestamp"] = timestamp,
            ["Content-Length"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETag"] = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(etagOf))).ToLowerInvariant(),
        });
        using var answer = await _server.SendAsync(new HttpMethod("SYNC"), $"/sda1/0/{hash}/{timestamp}.data", null, new StringContent(content),
            ("X-Object-Metadata", Convert.ToBase64String(metadata)));
        return answer.StatusCode;
    }
}
