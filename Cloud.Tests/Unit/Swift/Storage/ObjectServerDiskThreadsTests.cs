using System.Collections.Concurrent;
using System.Net;
using Cloud.Modules.Swift.Storage.DiskFile;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>The object server's blocking disk work runs on the device's own threads (swift_threads_per_disk).</summary>
public sealed class ObjectServerDiskThreadsTests
{
    private const string T1 = "1700000001.00000";
    private const string T2 = "1700000002.00000";
    private const string T3 = "1700000003.00000";

    [Test]
    public async Task A_puts_commit_a_posts_meta_and_a_deletes_tombstone_run_on_the_devices_threads()
    {
        var files = new ThreadRecordingDiskFiles();
        await using var server = await ObjectServerHarness.StartAsync(diskFiles: files);

        (await server.PutAsync("o", T1, "hello")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.SendAsync(HttpMethod.Post, "/sda1/0/a/c/o", T2)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await server.SendAsync(HttpMethod.Delete, "/sda1/0/a/c/o", T3)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        files.Threads.Keys.Should().BeEquivalentTo(["Commit", "WriteMetadata", "WriteTombstone"]);
        files.Threads.Values.Should().AllSatisfy(name => name.Should().StartWith(DeviceThreads.ThreadNamePrefix + ObjectServerHarness.Device + " #"));
        server.FileNames("o").Should().Equal(T3 + ".ts");
    }

    [Test]
    public async Task A_commit_failing_on_a_device_thread_answers_500_as_before_and_the_device_goes_on_writing()
    {
        await using var server = await ObjectServerHarness.StartAsync();
        // A file where the object's suffix directory belongs: creating its hash directory fails (ENOTDIR) in the commit.
        var suffix = Path.GetDirectoryName(server.HashDirectory("o"))!;
        Directory.CreateDirectory(Path.GetDirectoryName(suffix)!);
        await File.WriteAllTextAsync(suffix, "in the way");

        (await server.PutAsync("o", T1, "hello")).StatusCode.Should().Be(HttpStatusCode.InternalServerError);

        File.Delete(suffix);
        (await server.PutAsync("o", T2, "hello")).StatusCode.Should().Be(HttpStatusCode.Created);
        Directory.GetFiles(Path.Combine(server.DevicePath, "tmp")).Should().BeEmpty("the failed write's temporary file is removed");
    }

    /// <summary>The files in swift's layout, noting the thread each blocking write ran on.</summary>
    private sealed class ThreadRecordingDiskFiles : IDiskFileFactory
    {
        private readonly FsDiskFileFactory _files = new();

        public ConcurrentDictionary<string, string?> Threads { get; } = new();

        public IDiskFile Open(string devicePath, int partition, string hash) => new Recording(_files.Open(devicePath, partition, hash), Threads);

        public IDiskFile Open(string devicePath, int partition, string hash, int policyIndex) => new Recording(_files.Open(devicePath, partition, hash, policyIndex), Threads);

        private sealed class Recording(IDiskFile file, ConcurrentDictionary<string, string?> threads) : IDiskFile, IDiskFileWriter
        {
            private IDiskFileWriter? _writer;

            public DiskFileState Read() => file.Read();

            public Stream OpenData(DiskFileState state) => file.OpenData(state);

            public IDiskFileWriter CreateWriter()
            {
                _writer = file.CreateWriter();
                return this;
            }

            public void WriteTombstone(string timestamp)
            {
                threads["WriteTombstone"] = Thread.CurrentThread.Name;
                file.WriteTombstone(timestamp);
            }

            public void WriteMetadata(string timestamp, IReadOnlyDictionary<string, string> metadata)
            {
                threads["WriteMetadata"] = Thread.CurrentThread.Name;
                file.WriteMetadata(timestamp, metadata);
            }

            public Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken) => _writer!.WriteAsync(body, cancellationToken);

            public void Commit(string timestamp, IReadOnlyDictionary<string, string> metadata)
            {
                threads["Commit"] = Thread.CurrentThread.Name;
                _writer!.Commit(timestamp, metadata);
            }

            public ValueTask DisposeAsync() => _writer!.DisposeAsync();
        }
    }
}
