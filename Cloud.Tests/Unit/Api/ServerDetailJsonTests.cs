using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Compute;
using Cloud.Modules.Network;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>
/// <see cref="ServerDetailJson"/> (the pages of <c>/servers/detail</c>) writes each server byte for byte as
/// <see cref="NovaJsonTree"/> writes <see cref="ServerView.Detail"/>'s dictionary (single-server answers): at every
/// microversion, admin or not, with each answer's sections, keys replaced in place by later versions where they were.
/// </summary>
public sealed class ServerDetailJsonTests
{
    private static readonly JsonSerializerOptions Serialiser = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null, DictionaryKeyPolicy = null };

    private static IEnumerable<Func<Microversion, ServerViewOptions>> Sections()
    {
        yield return _ => ServerViewOptions.List;
        yield return ServerViewOptions.Show;
        yield return ServerViewOptions.Update;
        yield return ServerViewOptions.Rebuild;
    }

    [Test]
    public void Each_server_is_written_as_its_dictionary_at_every_microversion([Values(false, true)] bool admin, [ValueSource(nameof(Sections))] Func<Microversion, ServerViewOptions> sections)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1:8774");
        var servers = NovaJsonTreeTests.Servers(admin).Concat(MoreServers(admin)).ToList();
        for (var minor = 1; minor <= 100; minor++)
        {
            var version = new Microversion(2, minor);
            var options = sections(version);

            var direct = Json(writer => ServerDetailJson.WriteMany(writer, NovaJson.BaseUrl(http), version, servers, options));
            var dictionaries = Json(writer => servers.ForEach(f => NovaJsonTree.Write(writer, ServerView.Detail(http, version, f, options), Serialiser)));

            direct.Should().Be(dictionaries, $"at 2.{minor}");
        }
    }

    /// <summary>A server still building (no addresses shown), one with two networks' addresses interleaved, a deleted one with a 400 fault.</summary>
    private static IEnumerable<ServerFacts> MoreServers(bool admin)
    {
        var created = new DateTime(2026, 12, 7, 5, 26, 29, DateTimeKind.Utc);
        FixedAddress[] addresses =
        [
            new() { Address = "10.0.0.4", MacAddress = "fa:16:3e:00:00:02", NetworkLabel = "private" },
            new() { Address = "10.1.0.4", MacAddress = "fa:16:3e:00:00:03", NetworkLabel = "public" },
            new() { Address = "172.24.4.10", MacAddress = "fa:16:3e:00:00:02", NetworkLabel = "private", Type = FixedAddress.Floating },
        ];
        yield return new ServerFacts(new Instance
        {
            Id = 9, Uuid = "c", DisplayName = "new", ProjectId = "p", UserId = "u", ImageRef = "img", VmState = VmStates.Building,
            TaskState = TaskStates.Spawning, CreatedAt = created, UpdatedAt = created, Host = "h2", KernelId = "aki-1", RamdiskId = "ari-1",
        })
        { Admin = admin, Addresses = addresses, Hostname = "new", DiskConfig = "AUTO" };
        yield return new ServerFacts(new Instance
        {
            Id = 10, Uuid = "d", DisplayName = "two-nets", ProjectId = "p", UserId = "u", ImageRef = "img", VmState = VmStates.Stopped,
            PowerState = PowerState.Shutdown, CreatedAt = created, UpdatedAt = created, AccessIpV4 = "1.2.3.4", AccessIpV6 = "::1",
            TerminatedAt = created.AddTicks(12345),
        })
        { Admin = admin, Addresses = addresses, Volumes = [new ServerVolumeFact("v2", false), new ServerVolumeFact("v3", true)], Hostname = "two-nets" };
        yield return new ServerFacts(new Instance
        {
            Id = 11, Uuid = "e", DisplayName = "gone", ProjectId = "p", UserId = "u", ImageRef = "img", VmState = VmStates.Deleted, Deleted = true,
            CreatedAt = created, UpdatedAt = created, FaultCode = 400, FaultMessage = "refused \"x\"",
        })
        { Admin = admin, Hostname = "gone" };
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartArray();
            write(writer);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
