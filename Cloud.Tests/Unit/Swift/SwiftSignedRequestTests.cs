using System.Text;
using Cloud.Modules.Swift.Proxy.Middleware.FormPost;
using Cloud.Modules.Swift.Proxy.Middleware.Symlink;
using Cloud.Modules.Swift.Proxy.Middleware.TempUrl;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift;

/// <summary>The pure parts of the proxy's tempurl, formpost and symlink middlewares, against values swift 2.30 produces.</summary>
public sealed class SwiftSignedRequestTests
{
    [Test]
    public void Hex_signatures_name_their_digest_by_length_and_base64_ones_by_prefix()
    {
        TempUrlSignature.Parse(new string('a', 40)).Should().Be(("sha1", new string('a', 40)));
        TempUrlSignature.Parse(new string('B', 64)).Should().Be(("sha256", new string('b', 64)));
        TempUrlSignature.Parse(new string('c', 128)).Should().Be(("sha512", new string('c', 128)));
        TempUrlSignature.Parse(new string('a', 42)).Should().BeNull("no digest is 21 bytes long");
        TempUrlSignature.Parse("zz" + new string('a', 38)).Should().BeNull();
        // swiftclient's urlsafe base64 without padding, of the bytes fb ff.
        TempUrlSignature.Parse("sha512:-_8").Should().Be(("sha512", "fbff"));
        TempUrlSignature.Parse("sha512:***").Should().BeNull();
    }

    [Test]
    public void The_hmac_is_swifts_get_hmac()
    {
        // python3 -c "import hmac;print(hmac.new(b'key', b'GET\n1\n/v1/a/c/o', 'sha1').hexdigest())"
        TempUrlSignature.Hmac("sha1", "key", "GET\n1\n/v1/a/c/o").Should().Be("cda4b6ee3636a402e16e2950471362e9463c95a7");
        TempUrlSignature.Same("abc", "abc").Should().BeTrue();
        TempUrlSignature.Same("abc", "abd").Should().BeFalse();
    }

    [TestCase("o1", "attachment; filename=\"o1\"; filename*=UTF-8''o1")]
    [TestCase("y z.txt", "attachment; filename=\"y z.txt\"; filename*=UTF-8''y%20z.txt")]
    [TestCase("é\"", "attachment; filename=\"%C3%A9%22\"; filename*=UTF-8''%C3%A9%22")]
    public void Download_names_are_quoted_as_python_quotes_them(string name, string expected) =>
        TempUrlDisposition.Format("attachment", name).Should().Be(expected);

    [Test]
    public void Form_messages_are_title_cased_as_python_does() =>
        Cloud.Modules.Swift.Common.PythonStrings.Title("max file count exceeded").Should().Be("Max File Count Exceeded");

    [Test]
    public void Listing_rows_of_links_carry_their_target_and_other_rows_stay_as_they_were()
    {
        var json = """[{"name":"link","hash":"d41d8cd98f00b204e9800998ecf8427e; symlink_target=c/o; symlink_target_etag=e; symlink_target_bytes=3"},{"name":"x","hash":"abc"}]""";
        var rewritten = Encoding.UTF8.GetString(SymlinkListing.Rewrite(Encoding.UTF8.GetBytes(json), "AUTH_a")!);
        rewritten.Should().Be("""[{"name":"link","hash":"d41d8cd98f00b204e9800998ecf8427e","symlink_etag":"e","symlink_bytes":3,"symlink_path":"/v1/AUTH_a/c/o"},{"name":"x","hash":"abc"}]""");
        SymlinkListing.Rewrite(Encoding.UTF8.GetBytes("""[{"name":"x","hash":"abc"}]"""), "AUTH_a").Should().BeNull();
        SymlinkListing.Rewrite(Encoding.UTF8.GetBytes("not json"), "AUTH_a").Should().BeNull();
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container name=\"c\"><object><name>l</name><hash>d41d8cd98f00b204e9800998ecf8427e; symlink_target=c/o</hash></object></container>";
        Encoding.UTF8.GetString(SymlinkListing.RewriteXml(Encoding.UTF8.GetBytes(xml))!)
            .Should().Be(xml.Replace("; symlink_target=c/o", "", StringComparison.Ordinal), "XML listings show no target, as swift's");
    }
}
