using Cloud.Modules.Kernel.IO;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public class DirectorySyncTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "dirsync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Creating_a_path_returns_each_directory_it_made_deepest_first()
    {
        var hash = Path.Combine(_root, "objects", "17", "abc", "hash");

        var created = DirectorySync.CreateDirectory(hash);

        Directory.Exists(hash).Should().BeTrue();
        created.Should().Equal(hash, Path.Combine(_root, "objects", "17", "abc"), Path.Combine(_root, "objects", "17"), Path.Combine(_root, "objects"));
        DirectorySync.FsyncParents(created);
    }

    [Test]
    public void An_existing_directory_makes_nothing_to_sync()
    {
        DirectorySync.CreateDirectory(Path.Combine(_root, "a")).Should().Equal(Path.Combine(_root, "a"));

        DirectorySync.CreateDirectory(Path.Combine(_root, "a")).Should().BeEmpty();
        DirectorySync.CreateDirectory(Path.Combine(_root, "a", "b")).Should().Equal(Path.Combine(_root, "a", "b"));
    }

    [Test]
    public void Fsync_of_a_missing_directory_says_which()
    {
        var missing = Path.Combine(_root, "gone");

        var act = () => DirectorySync.Fsync(missing);

        act.Should().Throw<IOException>().WithMessage($"*{missing}*");
    }
}
