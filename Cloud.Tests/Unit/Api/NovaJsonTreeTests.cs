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
/// <see cref="NovaJsonTree"/> writes nova's server views (what <c>/servers/detail</c> answers) byte for byte as the
/// serialiser with <see cref="NovaJson"/>'s options: every section, every microversion block, admin or not, escaping.
/// </summary>
public sealed class NovaJsonTreeTests
{
    private static readonly JsonSerializerOptions Serialiser = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null, DictionaryKeyPolicy = null };

    [Test]
    public void A_page_of_detailed_servers_is_written_as_the_serialiser_writes_it_at_every_microversion([Values(false, true)] bool admin)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1:8774");
        foreach (var minor in new[] { 1, 3, 9, 16, 19, 26, 47, 63, 71, 73, 90, 100 })
        {
            var version = new Microversion(2, minor);
            var page = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["servers"] = Servers(admin).Select(f => ServerView.Detail(http, version, f, ServerViewOptions.Show(version))).ToList(),
                ["servers_links"] = new object[] { new NovaLink("next", "http://127.0.0.1:8774/v2.1/servers/detail?limit=2&marker=b") },
            };

            Tree(page).Should().Be(JsonSerializer.Serialize<object>(page, Serialiser), $"at 2.{minor}");
        }
    }

    [Test]
    public void Values_it_does_not_know_go_through_the_serialiser()
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["anonymous"] = new { rel = "self", href = "h" },
            ["counts"] = new Dictionary<string, int> { ["a"] = 1 },
            ["numbers"] = new List<long> { 1, -2 },
            ["ratio"] = 1.5,
            ["nothing"] = null,
        };

        Tree(tree).Should().Be(JsonSerializer.Serialize<object>(tree, Serialiser));
    }

    [Test]
    public void Timestamps_are_utc_to_the_second_with_a_z_whatever_their_kind()
    {
        NovaJson.Timestamp(new DateTime(2026, 12, 7, 5, 6, 9, 999, DateTimeKind.Local)).Should().Be("2026-12-07T05:06:09Z");
        NovaJson.Timestamp(new DateTime(999, 1, 2, 23, 0, 0, DateTimeKind.Unspecified)).Should().Be("0999-01-02T23:00:00Z");
    }

    [Test]
    public void A_reference_is_written_as_the_serialiser_writes_it()
    {
        var reference = new NovaReference("tiny-x", "http://h/flavors/tiny-x");

        Tree(reference).Should().Be("{\"id\":\"tiny-x\",\"links\":[{\"rel\":\"bookmark\",\"href\":\"http://h/flavors/tiny-x\"}]}")
            .And.Be(JsonSerializer.Serialize<object>(reference, Serialiser));
    }

    private static string Tree(object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            NovaJsonTree.Write(writer, value, Serialiser);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Two servers that between them show every section (also <see cref="ServerDetailJsonTests"/>' yardstick).</summary>
    internal static IEnumerable<ServerFacts> Servers(bool admin)
    {
        var created = new DateTime(2026, 12, 7, 5, 26, 29, DateTimeKind.Utc);
        yield return new ServerFacts(new Instance
        {
            Id = 7, Uuid = "a", DisplayName = "web <1> & 'ü'", ProjectId = "p", UserId = "u", ImageRef = "img", InstanceTypeId = 1, Vcpus = 2,
            MemoryMb = 512, RootGb = 1, KeyName = "k", UserData = "dXNlcg==", ReservationId = "r-1", Host = "h1", VmState = VmStates.Active,
            PowerState = PowerState.Running, LaunchedAt = created.AddSeconds(3), CreatedAt = created, UpdatedAt = created.AddMinutes(1), Description = "d",
            Locked = true, LockedReason = "why",
        })
        {
            Admin = admin,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["role"] = "web", ["\"q\""] = "<v>" },
            SecurityGroups = ["default", "web"],
            Addresses =
            [
                new FixedAddress { Address = "10.0.0.3", MacAddress = "fa:16:3e:00:00:01", NetworkLabel = "private" },
                new FixedAddress { Address = "fd00::3", MacAddress = "fa:16:3e:00:00:01", NetworkLabel = "private" },
                new FixedAddress { Address = "172.24.4.9", MacAddress = "fa:16:3e:00:00:01", NetworkLabel = "private", Type = FixedAddress.Floating },
            ],
            Volumes = [new ServerVolumeFact("v1", true)],
            Flavor = new Flavor { Id = 1, FlavorId = "tiny-x", Name = "m1.tiny" },
            FlavorExtraSpecs = new Dictionary<string, string>(StringComparer.Ordinal) { ["hw:cpu_policy"] = "dedicated" },
            Tags = ["t1", "t2"],
            Hostname = "web-1",
            TrustedCertificates = ["c1"],
            RootDeviceName = "/dev/vda",
            HostStatus = "UP",
            ServerGroups = ["g"],
        };
        yield return new ServerFacts(new Instance
        {
            Id = 8, Uuid = "b", DisplayName = "broken", ProjectId = "p", UserId = "u", ImageRef = "", InstanceTypeId = 9, VmState = VmStates.Error,
            CreatedAt = created, UpdatedAt = created, FaultMessage = "No valid host was found.",
        })
        { Admin = admin, Hostname = "Server-b" };
    }
}
