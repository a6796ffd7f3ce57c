using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel.Flags;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class ImageStoresTests
{
    private static readonly HttpClient Http = new();

    private static ImageStoreSet Stores(string defaultStore, string dir = "/tmp/images") =>
        ImageStores.FromFlags(new GlanceFlags { DefaultStore = defaultStore, FilesystemStoreDatadir = dir }, new GlanceSwiftStoreFlags(), Http);

    [Test]
    public void The_default_store_flag_picks_where_uploads_go_and_an_unknown_store_is_a_flag_error()
    {
        Stores("file").Default.Should().BeOfType<FileImageStore>();
        Stores("swift").Default.Should().BeOfType<SwiftImageStore>();
        Stores("swift").Scheme.Should().Be("swift");

        FluentActions.Invoking(() => Stores("tape"))
            .Should().Throw<FlagException>().WithMessage("--default_store=tape: unknown image store*");
    }

    [Test]
    public async Task Images_stored_before_the_default_store_changed_stay_readable_by_their_location_scheme()
    {
        using var dir = new TempDir();
        var stored = await Stores("file", dir.Path).AddAsync(Guid.NewGuid().ToString(), new MemoryStream([1, 2, 3]), default);

        var swiftFirst = Stores("swift", dir.Path);
        swiftFirst.For(stored.Location).Should().BeOfType<FileImageStore>();
        swiftFirst.For("swift+https://system/glance/x").Should().BeOfType<SwiftImageStore>();
        await using (var data = await swiftFirst.OpenAsync(stored.Location, 1, null, default))
        {
            data.ReadByte().Should().Be(2);
        }
        await swiftFirst.DeleteAsync(stored.Location, default);
        File.Exists(new Uri(stored.Location).LocalPath).Should().BeFalse();
    }

    [Test]
    public void A_location_no_store_reads_is_the_servers_problem_not_the_callers()
    {
        FluentActions.Invoking(() => Stores("file").For("rbd://pool/image"))
            .Should().Throw<ImageStoreUnavailableException>().WithMessage("*scheme 'rbd'*");
    }

    [TestCase("../etc/passwd")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    public async Task Image_ids_cannot_climb_out_of_the_data_directory(string id)
    {
        var store = new FileImageStore(Path.Combine(Path.GetTempPath(), "never-created"));

        await FluentActions.Awaiting(() => store.AddAsync(id, new MemoryStream([1]), default))
            .Should().ThrowAsync<Cloud.Modules.Kernel.CloudException>();
    }
}
