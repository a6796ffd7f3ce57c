using System.Net.Http.Headers;
using Cloud.Modules.Kernel.Http;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>
/// An endpoint given <see cref="HttpServerOptions.ReceiveBlockBytes"/> receives a body into blocks of that size (Kestrel
/// takes the pool from the factory the server registers), where Kestrel's own pool hands a body over in 4 KiB blocks.
/// </summary>
public class BulkReceiveTests
{
    private const int Body = 1 << 20;

    [Test]
    public async Task A_bulk_endpoint_receives_into_large_blocks()
    {
        var largest = await LargestReceivedBlockAsync(LargeBlockMemoryPool.BulkBlockSize);

        largest.Should().BeGreaterThan(4096).And.BeLessThanOrEqualTo(LargeBlockMemoryPool.BulkBlockSize);
    }

    [Test]
    public async Task An_ordinary_endpoint_keeps_kestrels_4_KiB_blocks()
    {
        var largest = await LargestReceivedBlockAsync(null);

        largest.Should().BeLessThanOrEqualTo(4096);
    }

    // PUTs 1 MiB sent in one write; the largest block the handler's body reader was given, and the body arrived whole.
    private static async Task<int> LargestReceivedBlockAsync(int? blockBytes)
    {
        var largest = 0;
        long total = 0;
        var port = FreePort.Next();
        var server = new HttpServer(new HttpServerOptions("test", "Bulk", "127.0.0.1", port, app => app.MapPut("/", async context =>
        {
            while (true)
            {
                var read = await context.Request.BodyReader.ReadAsync();
                foreach (var block in read.Buffer)
                {
                    largest = Math.Max(largest, block.Length);
                }
                total += read.Buffer.Length;
                context.Request.BodyReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }), (context, status, _) =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }, MaxBodyBytes: Body, Sockets: EagerReceive.Configure, ReceiveBlockBytes: blockBytes), NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        try
        {
            using var client = new HttpClient();
            using var content = new ByteArrayContent(new byte[Body]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var answer = await client.PutAsync($"http://127.0.0.1:{port}/", content);
            ((int)answer.StatusCode).Should().Be(StatusCodes.Status204NoContent);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
        total.Should().Be(Body);
        return largest;
    }
}
