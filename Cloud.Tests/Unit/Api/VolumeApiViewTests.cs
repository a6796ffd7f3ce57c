using System.Text.Json;
using Cloud.Modules.Api.Cinder;
using Cloud.Modules.Api.Ec2;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>How the volume APIs read input and name things: Cinder's size rules and paging, EC2's ids and states.</summary>
public sealed class VolumeApiViewTests
{
    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement;

    [TestCase("""{"size": 1}""", 1L)]
    [TestCase("""{"size": "12"}""", 12L)]
    [TestCase("""{"size": null}""", null)]
    [TestCase("""{}""", null)]
    public void A_size_is_a_positive_integer_or_a_string_of_digits(string json, long? size) =>
        CinderInput.Size(Body(json), "size").Should().Be(size);

    [TestCase("""{"size": 0}""")]
    [TestCase("""{"size": -3}""")]
    [TestCase("""{"size": 2.5}""")]
    [TestCase("""{"size": "1e3"}""")]
    [TestCase("""{"size": true}""")]
    [TestCase("""{"size": {"a": 1}}""")]
    [TestCase("""{"size": 99999999999999999999999}""")]
    [TestCase("""{"size": 2147483648}""")]
    public void Anything_else_is_refused_as_invalid_input(string json) =>
        FluentActions.Invoking(() => CinderInput.Size(Body(json), "size")).Should().Throw<CloudException>()
            .Which.Kind.Should().Be(CloudErrorKind.Invalid);

    [Test]
    public void Text_longer_than_255_characters_and_non_string_metadata_are_refused()
    {
        FluentActions.Invoking(() => CinderInput.Text(Body($$"""{"name": "{{new string('x', 256)}}"}"""), "name")).Should().Throw<CloudException>();
        FluentActions.Invoking(() => CinderInput.Metadata(Body("""{"metadata": {"k": 1}}"""))).Should().Throw<CloudException>();
        FluentActions.Invoking(() => CinderInput.Metadata(Body("""{"metadata": {"": "v"}}"""))).Should().Throw<CloudException>();
        CinderInput.Text(Body("""{"display_name": "old"}"""), "name", "display_name").Should().Be("old");
    }

    [Test]
    public void A_page_follows_its_marker_in_the_asked_order_and_says_when_there_is_more()
    {
        var paging = new CinderPaging<string>(new Dictionary<string, Func<string, IComparable?>> { ["name"] = s => s }, s => s);
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?sort=name:asc&limit=2&marker=b");

        var (page, more) = paging.Apply(context, ["d", "a", "c", "b", "e"]);

        page.Should().Equal("c", "d");
        more.Should().BeTrue();
        context.Request.QueryString = new QueryString("?sort=colour:asc");
        FluentActions.Invoking(() => paging.Apply(context, ["a"])).Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Invalid);
    }

    [Test]
    public void Ec2_volume_and_snapshot_ids_are_the_integer_ids_in_eight_hex_digits()
    {
        Ec2VolumeIds.Volume(10).Should().Be("vol-0000000a");
        Ec2VolumeIds.Snapshot(255).Should().Be("snap-000000ff");
        Ec2VolumeIds.ParseVolume("vol-0000000a").Should().Be(10);
        Ec2VolumeIds.ParseSnapshot("snap-000000ff").Should().Be(255);
        foreach (var bad in new[] { "vol-", "vol-xyz", "snap-0000000a", "i-0000000a", "vol-00000000" })
        {
            FluentActions.Invoking(() => Ec2VolumeIds.ParseVolume(bad)).Should().Throw<Ec2ActionException>().Which.Code.Should().Be("InvalidVolumeID.Malformed");
        }
    }

    [TestCase(VolumeStatuses.Creating, "creating", "attached")]
    [TestCase(VolumeStatuses.Available, "available", "detached")]
    [TestCase(VolumeStatuses.Attaching, "in-use", "attaching")]
    [TestCase(VolumeStatuses.InUse, "in-use", "attached")]
    [TestCase(VolumeStatuses.Detaching, "in-use", "detaching")]
    [TestCase(VolumeStatuses.ErrorDeleting, "error", "attached")]
    public void Ec2_shows_volume_states_as_aws_does(string status, string ec2, string attachment)
    {
        var volume = new VolumeInfo { Status = status };

        Ec2VolumeXml.Status(volume).Should().Be(ec2);
        Ec2VolumeXml.AttachmentStatus(volume).Should().Be(attachment);
    }

    [TestCase(SnapshotStatuses.Creating, "pending")]
    [TestCase(SnapshotStatuses.Available, "completed")]
    [TestCase(SnapshotStatuses.Error, "error")]
    public void Ec2_shows_snapshot_states_as_aws_does(string status, string ec2) =>
        Ec2VolumeXml.SnapshotStatus(new SnapshotInfo { Status = status }).Should().Be(ec2);
}
