using System.Security.Cryptography;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// A compute host fetching images from a real cloudd glance (<c>--roles=api,glance</c>) on behalf of an instance's
/// owner, as the cloud's image reader service user.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class GlanceImageFetcherTests
{
    private ApiCloud _cloud = null!;
    private GlanceHttp _glance = null!;
    private TempDir _dir = null!;
    private ComputeHostGlance _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ApiCloud.StartAsync(roles: "api,glance");
        _glance = new GlanceHttp(_cloud);
        _dir = new TempDir();
        _host = new ComputeHostGlance(_cloud);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _glance?.Dispose();
        _dir?.Dispose();
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    private GlanceImageFetcher Fetcher() => _host.Fetcher();

    private Task<InstanceSpec> OwnedByAsync(string user, string project) => _host.OwnedByAsync(user, project);

    [Test]
    public async Task The_owners_image_is_downloaded_with_its_format_and_checked_against_its_md5()
    {
        var token = await _glance.TokenAsync("alice", ApiCloud.UserPassword, "other");
        var data = RandomNumberGenerator.GetBytes(300_000);
        var id = await _glance.CreateAsync(token, new { name = "disk", disk_format = "qcow2", container_format = "bare" });
        await _glance.UploadAsync(token, id, data);
        var destination = Path.Combine(_dir.Path, "fetched");

        var format = await Fetcher().FetchAsync(id, await OwnedByAsync("alice", "other"), destination, default);

        format.Should().Be("qcow2");
        (await File.ReadAllBytesAsync(destination)).Should().Equal(data);
    }

    [Test]
    public async Task A_missing_image_and_another_projects_private_image_are_not_found_in_glance()
    {
        var token = await _glance.TokenAsync("berendt", ApiCloud.AdminPassword, "testing");
        var id = await _glance.CreateAsync(token, new { name = "private", disk_format = "raw", container_format = "bare", visibility = "private" });
        await _glance.UploadAsync(token, id, [1, 2, 3]);
        var alice = await OwnedByAsync("alice", "other");
        var missing = Guid.NewGuid().ToString();

        var gone = () => Fetcher().FetchAsync(missing, alice, Path.Combine(_dir.Path, "x"), default);
        var foreign = () => Fetcher().FetchAsync(id, alice, Path.Combine(_dir.Path, "y"), default);

        (await gone.Should().ThrowAsync<CloudException>()).WithMessage($"Image {missing} not found in glance");
        (await foreign.Should().ThrowAsync<CloudException>()).WithMessage($"Image {id} not found in glance");
    }
}
