using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel.Flags;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class ImageStoresTests
{
    [Test]
    public void The_file_store_is_chosen_by_default_and_an_unknown_store_is_a_flag_error()
    {
        ImageStores.FromFlags(new GlanceFlags { FilesystemStoreDatadir = "/tmp/images" }).Should().BeOfType<FileImageStore>();

        FluentActions.Invoking(() => ImageStores.FromFlags(new GlanceFlags { DefaultStore = "tape" }))
            .Should().Throw<FlagException>().WithMessage("--default_store=tape: unknown image store*");
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
