using System.Text;
using Cloud.Modules.Kernel.IO;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>The direct libc calls fail as .NET's own file calls do, so callers' catch clauses keep working.</summary>
public sealed class PosixFilesTests
{
    private TempDir _root = default!;

    [SetUp]
    public void SetUp() => _root = new TempDir();

    [TearDown]
    public void TearDown() => _root.Dispose();

    [Test]
    public void Creating_a_file_that_exists_fails_and_leaves_it_alone()
    {
        var path = Path.Combine(_root.Path, "f");
        File.WriteAllText(path, "there");

        var act = () => PosixFiles.CreateNew(path);

        act.Should().Throw<IOException>().WithMessage($"*{path}*");
        File.ReadAllText(path).Should().Be("there");
    }

    [Test]
    public void Creating_a_file_in_a_missing_directory_says_the_directory_is_missing()
    {
        var act = () => PosixFiles.CreateNew(Path.Combine(_root.Path, "gone", "f"));

        act.Should().Throw<DirectoryNotFoundException>();
    }

    [Test]
    public void Appends_add_to_the_end_and_create_the_file()
    {
        var path = Path.Combine(_root.Path, "log");
        foreach (var line in new[] { "a\n", "bc\n" })
        {
            using var file = PosixFiles.OpenForAppend(path);
            PosixFiles.Write(file, Encoding.ASCII.GetBytes(line));
        }

        File.ReadAllText(path).Should().Be("a\nbc\n");
    }

    [Test]
    public void A_directory_is_made_once_and_never_over_a_missing_parent()
    {
        var directory = Path.Combine(_root.Path, "d");

        PosixFiles.TryMakeDirectory(directory).Should().BeTrue();
        PosixFiles.TryMakeDirectory(directory).Should().BeFalse();
        var orphan = () => PosixFiles.TryMakeDirectory(Path.Combine(_root.Path, "none", "d"));
        orphan.Should().Throw<DirectoryNotFoundException>();
    }

    [Test]
    public void A_rename_replaces_the_target()
    {
        var from = Path.Combine(_root.Path, "from");
        var to = Path.Combine(_root.Path, "to");
        File.WriteAllText(from, "new");
        File.WriteAllText(to, "old");

        PosixFiles.Rename(from, to);

        File.Exists(from).Should().BeFalse();
        File.ReadAllText(to).Should().Be("new");
    }

    [Test]
    public void An_exclusive_lock_is_refused_while_another_descriptor_holds_it()
    {
        var path = Path.Combine(_root.Path, ".lock");
        using var first = PosixFiles.OpenOrCreate(path);
        using var second = PosixFiles.OpenOrCreate(path);

        PosixFiles.TryLockExclusive(first, path).Should().BeTrue();
        PosixFiles.TryLockExclusive(second, path).Should().BeFalse();
        first.Dispose();
        PosixFiles.TryLockExclusive(second, path).Should().BeTrue();
    }
}
