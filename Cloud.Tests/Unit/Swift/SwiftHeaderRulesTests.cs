using System.Text;
using System.Text.RegularExpressions;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift;

/// <summary>Header values as Swift reads them (Latin-1 on the wire, UTF-8 in meaning), its metadata limits and transaction ids.</summary>
public sealed class SwiftHeaderRulesTests
{
    private static string Wire(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    [Test]
    public void A_utf8_value_read_as_latin1_decodes_back_and_encodes_to_the_same_bytes()
    {
        SwiftHeaderText.Decode(Wire("sdü1/seg")).Should().Be("sdü1/seg");
        SwiftHeaderText.Encode("café ☕").Should().Be(Wire("café ☕"));
        SwiftHeaderText.Decode("plain").Should().Be("plain");
        SwiftHeaderText.Decode("\u00ff").Should().Be("\u00ff", "bytes that are not UTF-8 stay as read");
        SwiftHeaderText.ByteCount(Wire("é")).Should().Be(2);
    }

    [Test]
    public void Metadata_limits_answer_with_swift_s_messages()
    {
        static HeaderDictionary Headers(params (string Name, string Value)[] headers) =>
            new(headers.ToDictionary(h => h.Name, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));

        SwiftMetadataLimits.Check(Headers(("X-Container-Meta-Ort", Wire("Zürich"))), "container").Should().BeNull();
        SwiftMetadataLimits.Check(Headers(("X-Container-Meta-V", new string('v', 257))), "container").Should().Be("Metadata value longer than 256: x-container-meta-V");
        SwiftMetadataLimits.Check(Headers(("x-account-meta-" + new string('n', 129), "v")), "account").Should().Be("Metadata name too long: x-account-meta-N" + new string('n', 128));
        SwiftMetadataLimits.Check(Headers(Enumerable.Range(0, 91).Select(i => ($"X-Object-Meta-M{i}", "v")).ToArray()), "object").Should().Be("Too many metadata items; max 90");
        SwiftMetadataLimits.Check(Headers(Enumerable.Range(0, 17).Select(i => ($"X-Object-Meta-S{i}", new string('s', 255))).ToArray()), "object").Should().Be("Total metadata too large; max 4096");
        SwiftMetadataLimits.Check(Headers(("X-Container-Meta-Bad", "\u00ff")), "container").Should().Be("Metadata must be valid UTF-8");
        SwiftMetadataLimits.Check(Headers(("X-Object-Meta-Bad", "\u00ff")), "object").Should().BeNull("objects keep any bytes");
    }

    [Test]
    public void Transaction_ids_have_swift_s_shape_and_carry_the_client_s_extra()
    {
        var context = new DefaultHttpContext();
        SwiftTransactionId.New(context).Should().MatchRegex("^tx[0-9a-f]{21}-[0-9a-f]{10}$");
        context.Request.Headers["X-Trans-Id-Extra"] = "my job/1 " + new string('x', 40);
        var id = SwiftTransactionId.New(context);
        Regex.IsMatch(id, "^tx[0-9a-f]{21}-[0-9a-f]{10}-my%20job/1%20x{23}$").Should().BeTrue(id);
    }

    [Test]
    public void Transaction_ids_stay_distinct_and_well_formed_across_refills_of_their_random_bytes()
    {
        // Several threads, each past several refills of its pool of random bytes (96 ids a refill).
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 500; i++)
            {
                ids.Add(SwiftTransactionId.New(DateTimeOffset.UnixEpoch, ""));
            }
        });

        ids.Should().HaveCount(2000).And.OnlyHaveUniqueItems().And.AllSatisfy(id => id.Should().MatchRegex("^tx[0-9a-f]{21}-0000000000$"));
    }
}
