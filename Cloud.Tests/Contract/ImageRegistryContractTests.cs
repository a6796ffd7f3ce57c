using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>The image registry's rules (visibility, isolation, members, protection, patches, paging) on every database engine.</summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class ImageRegistryContractTests<THarness> where THarness : IDbHarness, new()
{
    private static readonly RequestContext A = new("user-a", "project-a", false, ["member"], "req-a");
    private static readonly RequestContext B = new("user-b", "project-b", false, ["member"], "req-b");
    private static readonly RequestContext Admin = new("admin", "project-admin", true, ["admin"], "req-admin");

    private THarness _harness = default!;
    private ImageRegistry _registry = null!;
    private ImageMembers _members = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _harness = Harness.New<THarness>();
        await new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        _registry = new ImageRegistry(_harness.Db, clock);
        _members = new ImageMembers(_harness.Db, _registry, clock);
    }

    [TearDown]
    public async Task DropAsync()
    {
        // Null when the set-up found a service missing (ignored on a developer's machine).
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private Task<Image> CreateAsync(RequestContext context, string json) =>
        _registry.CreateAsync(context, ImageDraft.FromCreateRequest(JsonDocument.Parse(json).RootElement).Draft, null, default);

    private Task<Image> UpdateAsync(RequestContext context, string id, string patch) =>
        _registry.UpdateAsync(context, id, ImagePatch.ParseDocument(JsonDocument.Parse(patch).RootElement), default);

    private async Task<IReadOnlyList<string>> ListAsync(RequestContext context, ImageQuery? query = null) =>
        (await _registry.ListAsync(context, query ?? new ImageQuery(), default)).Images.Select(i => i.Name!).ToList();

    private static async Task ShouldFail(Func<Task> action, CloudErrorKind kind) =>
        await FluentActions.Awaiting(action).Should().ThrowAsync<CloudException>().Where(e => e.Kind == kind);

    [Test]
    public async Task A_new_image_is_queued_shared_owned_by_the_callers_project_with_its_properties_and_tags()
    {
        var image = await CreateAsync(A, """{"name": "k", "disk_format": "aki", "container_format": "aki", "kernel_id": "x", "tags": ["b", "a", "b"]}""");

        image.Status.Should().Be(ImageStatus.Queued);
        image.Visibility.Should().Be(ImageVisibility.Shared);
        image.Owner.Should().Be("project-a");
        image.Properties.Should().Equal(new Dictionary<string, string> { ["kernel_id"] = "x" });
        image.Tags.Should().Equal("a", "b");
        image.Size.Should().BeNull();
        (await _registry.GetAsync(A, image.Id, default)).Should().BeEquivalentTo(image);
    }

    [Test]
    public async Task Other_projects_see_public_and_community_images_but_not_private_or_unshared_ones()
    {
        var hidden = await CreateAsync(A, """{"name": "private", "visibility": "private"}""");
        var shared = await CreateAsync(A, """{"name": "shared"}""");
        var community = await CreateAsync(A, """{"name": "community", "visibility": "community"}""");
        await CreateAsync(Admin, """{"name": "public", "visibility": "public"}""");

        await ShouldFail(() => _registry.GetAsync(B, hidden.Id, default), CloudErrorKind.NotFound);
        await ShouldFail(() => _registry.GetAsync(B, shared.Id, default), CloudErrorKind.NotFound);
        (await _registry.GetAsync(B, community.Id, default)).Name.Should().Be("community");
        (await ListAsync(B)).Should().BeEquivalentTo("public");
        (await ListAsync(B, new ImageQuery { Visibility = "community" })).Should().BeEquivalentTo("community");
        (await ListAsync(B, new ImageQuery { Visibility = "all" })).Should().BeEquivalentTo("public", "community");
        (await ListAsync(A)).Should().BeEquivalentTo("private", "shared", "community", "public");
        (await ListAsync(Admin)).Should().HaveCount(4);
    }

    [Test]
    public async Task A_member_sees_a_shared_image_by_id_at_once_and_in_its_list_once_accepted()
    {
        var image = await CreateAsync(A, """{"name": "shared"}""");

        var member = await _members.AddAsync(A, image.Id, "project-b", default);
        member.Status.Should().Be(MemberStatus.Pending);
        (await _registry.GetAsync(B, image.Id, default)).Name.Should().Be("shared");
        (await ListAsync(B)).Should().BeEmpty();
        (await ListAsync(B, new ImageQuery { MemberStatus = "pending" })).Should().Equal("shared");

        await ShouldFail(() => _members.SetStatusAsync(A, image.Id, "project-b", MemberStatus.Accepted, default), CloudErrorKind.Forbidden);
        await _members.SetStatusAsync(B, image.Id, "project-b", MemberStatus.Accepted, default);

        (await ListAsync(B)).Should().Equal("shared");
        await ShouldFail(() => UpdateAsync(B, image.Id, """[{"op": "replace", "path": "/name", "value": "mine"}]"""), CloudErrorKind.Forbidden);
        await ShouldFail(() => _registry.DeleteAsync(B, image.Id, default), CloudErrorKind.Forbidden);
        await ShouldFail(() => _members.AddAsync(B, image.Id, "project-c", default), CloudErrorKind.Forbidden);
        await ShouldFail(() => _members.AddAsync(A, image.Id, "project-b", default), CloudErrorKind.Conflict);
    }

    [Test]
    public async Task A_member_sees_only_its_own_membership_and_the_owner_sees_all()
    {
        var image = await CreateAsync(A, """{"name": "shared"}""");
        await _members.AddAsync(A, image.Id, "project-b", default);
        await _members.AddAsync(A, image.Id, "project-c", default);

        (await _members.ListAsync(A, image.Id, default)).Select(m => m.Member).Should().BeEquivalentTo("project-b", "project-c");
        (await _members.ListAsync(B, image.Id, default)).Select(m => m.Member).Should().Equal("project-b");
        await ShouldFail(() => _members.GetAsync(B, image.Id, "project-c", default), CloudErrorKind.NotFound);

        await _members.RemoveAsync(A, image.Id, "project-b", default);
        await ShouldFail(() => _registry.GetAsync(B, image.Id, default), CloudErrorKind.NotFound);
    }

    [Test]
    public async Task Only_shared_images_have_members_and_only_admins_publish()
    {
        var hidden = await CreateAsync(A, """{"name": "private", "visibility": "private"}""");

        await ShouldFail(() => _members.AddAsync(A, hidden.Id, "project-b", default), CloudErrorKind.Forbidden);
        await ShouldFail(() => CreateAsync(A, """{"name": "p", "visibility": "public"}"""), CloudErrorKind.Forbidden);
        await ShouldFail(() => UpdateAsync(A, hidden.Id, """[{"op": "replace", "path": "/visibility", "value": "public"}]"""), CloudErrorKind.Forbidden);
        (await UpdateAsync(Admin, hidden.Id, """[{"op": "replace", "path": "/visibility", "value": "public"}]""")).Visibility.Should().Be("public");
    }

    [Test]
    public async Task A_protected_image_cannot_be_deleted_even_by_an_admin()
    {
        var image = await CreateAsync(A, """{"name": "keep", "protected": true}""");

        await ShouldFail(() => _registry.DeleteAsync(A, image.Id, default), CloudErrorKind.Forbidden);
        await ShouldFail(() => _registry.DeleteAsync(Admin, image.Id, default), CloudErrorKind.Forbidden);
        await UpdateAsync(A, image.Id, """[{"op": "replace", "path": "/protected", "value": false}]""");
        await _registry.DeleteAsync(A, image.Id, default);

        await ShouldFail(() => _registry.GetAsync(A, image.Id, default), CloudErrorKind.NotFound);
        (await ListAsync(A)).Should().BeEmpty();
        await ShouldFail(() => _registry.CreateAsync(A, new ImageDraft(), image.Id, default), CloudErrorKind.Conflict);
    }

    [Test]
    public async Task A_patch_adds_replaces_and_removes_properties_and_attributes_at_once()
    {
        var image = await CreateAsync(A, """{"name": "m", "kernel_id": "k1", "ramdisk_id": "r1"}""");

        var patched = await UpdateAsync(A, image.Id, """
            [{"op": "replace", "path": "/kernel_id", "value": "k2"}, {"op": "remove", "path": "/ramdisk_id"},
             {"op": "add", "path": "/os~1distro", "value": "debian"}, {"op": "replace", "path": "/min_ram", "value": 512},
             {"op": "add", "path": "/tags", "value": ["x"]}, {"op": "replace", "path": "/name", "value": null}]
            """);

        patched.Properties.Should().Equal(new Dictionary<string, string> { ["kernel_id"] = "k2", ["os/distro"] = "debian" });
        patched.MinRam.Should().Be(512);
        patched.Tags.Should().Equal("x");
        patched.Name.Should().BeNull();
    }

    [Test]
    public async Task A_bad_patch_changes_nothing()
    {
        var image = await CreateAsync(A, """{"name": "m", "kernel_id": "k1"}""");

        await ShouldFail(() => UpdateAsync(A, image.Id, """[{"op": "replace", "path": "/kernel_id", "value": "k2"}, {"op": "replace", "path": "/nope", "value": "v"}]"""), CloudErrorKind.Conflict);
        await ShouldFail(() => UpdateAsync(A, image.Id, """[{"op": "replace", "path": "/checksum", "value": "0"}]"""), CloudErrorKind.Forbidden);
        await ShouldFail(() => UpdateAsync(A, image.Id, """[{"op": "replace", "path": "/owner", "value": "project-b"}]"""), CloudErrorKind.Forbidden);
        await ShouldFail(() => UpdateAsync(A, image.Id, """[{"op": "add", "path": "/p", "value": "{new string('v', 256)}"}]""".Replace("{new string('v', 256)}", new string('v', 256), StringComparison.Ordinal)), CloudErrorKind.Invalid);

        (await _registry.GetAsync(A, image.Id, default)).Properties["kernel_id"].Should().Be("k1");
    }

    [Test]
    public async Task Reserved_names_and_too_many_properties_or_tags_are_refused()
    {
        await ShouldFail(() => _registry.CreateAsync(A, Draft(d => d.Properties["deleted"] = "x"), null, default), CloudErrorKind.Forbidden);
        await ShouldFail(() => _registry.CreateAsync(A, Draft(d => { for (var n = 0; n < 129; n++) { d.Properties[$"p{n}"] = "v"; } }), null, default), CloudErrorKind.TooLarge);
        await ShouldFail(() => _registry.CreateAsync(A, Draft(d => d.Tags = Enumerable.Range(0, 129).Select(n => $"t{n}").ToList()), null, default), CloudErrorKind.TooLarge);
        await ShouldFail(() => _registry.CreateAsync(A, Draft(d => d.DiskFormat = "floppy"), null, default), CloudErrorKind.Invalid);
        await ShouldFail(() => _registry.CreateAsync(A, Draft(d => d.Name = new string('n', 256)), null, default), CloudErrorKind.Invalid);
        (await _registry.CreateAsync(A, Draft(d => { for (var n = 0; n < 128; n++) { d.Properties[$"p{n}"] = "v"; } }), null, default)).Properties.Should().HaveCount(128);
    }

    private static ImageDraft Draft(Action<ImageDraft> change)
    {
        var draft = new ImageDraft();
        change(draft);
        return draft;
    }

    [Test]
    public async Task Data_moves_an_image_from_queued_through_saving_to_active_once()
    {
        await ShouldFail(async () => await _registry.StartUploadAsync(A, (await CreateAsync(A, """{"name": "no formats"}""")).Id, default), CloudErrorKind.Invalid);
        var image = await CreateAsync(A, """{"name": "i", "disk_format": "raw", "container_format": "bare"}""");

        (await _registry.StartUploadAsync(A, image.Id, default)).Status.Should().Be(ImageStatus.Saving);
        await ShouldFail(() => _registry.StartUploadAsync(A, image.Id, default), CloudErrorKind.Conflict);
        (await _registry.FinishUploadAsync(image.Id, "file:///x", 3, "md5", "sha", default)).Should().BeTrue();

        var active = await _registry.GetAsync(A, image.Id, default);
        active.Status.Should().Be(ImageStatus.Active);
        (active.Size, active.Checksum, active.OsHashAlgo, active.OsHashValue, active.Location).Should().Be((3L, "md5", "sha512", "sha", "file:///x"));
        await ShouldFail(() => UpdateAsync(A, image.Id, """[{"op": "replace", "path": "/disk_format", "value": "qcow2"}]"""), CloudErrorKind.Forbidden);
        (await _registry.DeactivateAsync(A, image.Id, default)).Status.Should().Be(ImageStatus.Deactivated);
        (await _registry.ReactivateAsync(A, image.Id, default)).Status.Should().Be(ImageStatus.Active);
    }

    [Test]
    public async Task A_failed_upload_kills_the_image_and_a_deleted_one_cannot_finish()
    {
        var killed = await CreateAsync(A, """{"name": "k", "disk_format": "raw", "container_format": "bare"}""");
        var deleted = await CreateAsync(A, """{"name": "d", "disk_format": "raw", "container_format": "bare"}""");
        await _registry.StartUploadAsync(A, killed.Id, default);
        await _registry.StartUploadAsync(A, deleted.Id, default);

        await _registry.KillAsync(killed.Id, default);
        await _registry.DeleteAsync(A, deleted.Id, default);

        (await _registry.GetAsync(A, killed.Id, default)).Status.Should().Be(ImageStatus.Killed);
        await ShouldFail(() => _registry.StartUploadAsync(A, killed.Id, default), CloudErrorKind.Conflict);
        await ShouldFail(() => _registry.DeactivateAsync(A, killed.Id, default), CloudErrorKind.Forbidden);
        (await _registry.FinishUploadAsync(deleted.Id, "file:///x", 1, "m", "s", default)).Should().BeFalse();
    }

    [Test]
    public async Task Lists_filter_sort_by_several_keys_and_page_with_a_marker()
    {
        foreach (var (name, format, tag) in new[] { ("c", "raw", "t"), ("a", "qcow2", "t"), ("b", "raw", "u"), ("a", "raw", "t"), ("d", "iso", "t") })
        {
            await CreateAsync(A, $$"""{"name": "{{name}}", "disk_format": "{{format}}", "tags": ["{{tag}}"], "arch": "{{format}}-arch"}""");
        }
        var byNameThenFormat = new[] { new ImageSortKey("name", false), new ImageSortKey("disk_format", true) };

        (await ListAsync(A, new ImageQuery { DiskFormat = "raw", Sort = byNameThenFormat })).Should().Equal("a", "b", "c");
        (await ListAsync(A, new ImageQuery { Tags = ["t"], Sort = [new ImageSortKey("name", true)] })).Should().Equal("d", "c", "a", "a");
        (await ListAsync(A, new ImageQuery { Properties = new Dictionary<string, string> { ["arch"] = "iso-arch" } })).Should().Equal("d");
        (await ListAsync(A, new ImageQuery { Name = "a" })).Should().HaveCount(2);

        var pages = new List<string>();
        string? marker = null;
        do
        {
            var page = await _registry.ListAsync(A, new ImageQuery { Sort = byNameThenFormat, Limit = 2, Marker = marker }, default);
            pages.Add(string.Join("", page.Images.Select(i => $"{i.Name}/{i.DiskFormat} ")));
            marker = page.NextMarker;
        }
        while (marker is not null);
        pages.Should().Equal("a/raw a/qcow2 ", "b/raw c/raw ", "d/iso ");
    }

    [Test]
    public async Task Size_filters_and_bad_list_parameters()
    {
        var small = await CreateAsync(A, """{"name": "small", "disk_format": "raw", "container_format": "bare"}""");
        await _registry.StartUploadAsync(A, small.Id, default);
        await _registry.FinishUploadAsync(small.Id, "file:///s", 10, "m", "s", default);
        await CreateAsync(A, """{"name": "empty"}""");

        (await ListAsync(A, new ImageQuery { SizeMin = 5 })).Should().Equal("small");
        (await ListAsync(A, new ImageQuery { SizeMax = 5 })).Should().BeEmpty();
        await ShouldFail(() => _registry.ListAsync(A, new ImageQuery { Marker = Guid.NewGuid().ToString() }, default), CloudErrorKind.Invalid);
        await ShouldFail(() => _registry.ListAsync(A, new ImageQuery { Limit = 5000 }, default), CloudErrorKind.Invalid);
        await ShouldFail(() => _registry.ListAsync(A, new ImageQuery { Visibility = "secret" }, default), CloudErrorKind.Invalid);
    }
}
