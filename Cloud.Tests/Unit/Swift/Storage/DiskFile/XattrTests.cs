using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage.DiskFile;

/// <summary>Extended attributes: a value read in one call when it is short, and whole when it is longer.</summary>
public sealed class XattrTests
{
    private const string Name = "user.swift.test";

    private TempDir _dir = default!;
    private string _file = default!;

    [SetUp]
    public void Create()
    {
        _dir = new TempDir();
        _file = _dir.File("f.data", "");
    }

    [TearDown]
    public void Remove() => _dir.Dispose();

    // Empty, short, at and around the first try's buffer (1 KiB), and longer than it.
    [TestCase(0)]
    [TestCase(200)]
    [TestCase(1023)]
    [TestCase(1024)]
    [TestCase(1025)]
    [TestCase(3000)]
    public void A_value_reads_back_as_written(int length)
    {
        var value = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        Xattr.Set(_file, Name, value);

        Xattr.Get(_file, Name).Should().Equal(value);
    }

    [Test]
    public void A_name_the_file_does_not_carry_is_null() => Xattr.Get(_file, Name).Should().BeNull();

    [Test]
    public void A_missing_file_is_file_not_found() =>
        FluentActions.Invoking(() => Xattr.Get(Path.Combine(_dir.Path, "gone"), Name)).Should().Throw<FileNotFoundException>();
}
