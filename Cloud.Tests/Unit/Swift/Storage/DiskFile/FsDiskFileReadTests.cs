using System.Text;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage.DiskFile;

/// <summary>What a GET reads from the file system: the hash directory listed without a check first, the metadata.</summary>
public sealed class FsDiskFileReadTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";

    private TempDir _device = default!;
    private FsDiskFile _file = default!;

    [SetUp]
    public void Open()
    {
        _device = new TempDir();
        _file = new FsDiskFile(_device.Path, 7, Hash);
    }

    [TearDown]
    public void Close() => _device.Dispose();

    [Test]
    public void No_partition_directory_is_missing() => _file.Read().Should().Be(DiskFileState.Missing);

    [Test]
    public void A_file_where_the_hash_directory_belongs_is_missing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file.HashDirectory)!);
        File.WriteAllText(_file.HashDirectory, "not a directory");

        _file.Read().Should().Be(DiskFileState.Missing);
    }

    [Test]
    public async Task Metadata_names_compare_as_headers_do()
    {
        await using (var writer = _file.CreateWriter())
        {
            await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes("data")), CancellationToken.None);
            writer.Commit("1700000001.00000", new Dictionary<string, string> { ["Content-Type"] = "text/plain", ["X-Object-Meta-Colour"] = "blue" });
        }

        var state = _file.Read();

        state.Metadata["content-type"].Should().Be("text/plain");
        state.Metadata["x-object-meta-colour"].Should().Be("blue");
        await using var data = _file.OpenData(state);
        data.Length.Should().Be(4);
    }
}
