using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloud.Modules.Swift.Proxy.Middleware.StaticWeb;

/// <summary>
/// staticweb's HTML pages, byte for byte as swift 2.30 writes them (browsers and scripts scrape them): a directory's
/// listing (subdirectories first, then objects with their size and date) and the page saying listings are disabled.
/// </summary>
public static class StaticWebListingPage
{
    private const string DocType = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" \"http://www.w3.org/TR/html4/loose.dtd\">\n";

    /// <summary>The listing of <paramref name="prefix"/> ("" for the container's top) from the container's JSON listing.</summary>
    public static string Listing(string label, string prefix, string? css, JsonElement listing)
    {
        var body = new StringBuilder(DocType).Append("<html>\n <head>\n  <title>Listing of ").Append(HtmlEscape(label)).Append("</title>\n");
        body.Append(css is not null
            ? $"  <link rel=\"stylesheet\" type=\"text/css\" href=\"{CssPath(css, prefix)}\" />\n"
            : "  <style type=\"text/css\">\n   h1 {font-size: 1em; font-weight: bold;}\n   th {text-align: left; padding: 0px 1em 0px 1em;}\n"
              + "   td {padding: 0px 1em 0px 1em;}\n   a {text-decoration: none;}\n  </style>\n");
        body.Append(" </head>\n <body>\n  <h1 id=\"title\">Listing of ").Append(HtmlEscape(label)).Append("</h1>\n  <table id=\"listing\">\n")
            .Append("   <tr id=\"heading\">\n    <th class=\"colname\">Name</th>\n    <th class=\"colsize\">Size</th>\n    <th class=\"coldate\">Date</th>\n   </tr>\n");
        if (prefix.Length > 0)
        {
            body.Append("   <tr id=\"parent\" class=\"item\">\n    <td class=\"colname\"><a href=\"../\">../</a></td>\n")
                .Append("    <td class=\"colsize\">&nbsp;</td>\n    <td class=\"coldate\">&nbsp;</td>\n   </tr>\n");
        }
        foreach (var item in listing.EnumerateArray().Where(i => i.TryGetProperty("subdir", out _)))
        {
            var subdir = item.GetProperty("subdir").GetString()![prefix.Length..];
            body.Append($"   <tr class=\"item subdir\">\n    <td class=\"colname\"><a href=\"{Quote(subdir)}\">{HtmlEscape(subdir)}</a></td>\n")
                .Append("    <td class=\"colsize\">&nbsp;</td>\n    <td class=\"coldate\">&nbsp;</td>\n   </tr>\n");
        }
        foreach (var item in listing.EnumerateArray().Where(i => i.TryGetProperty("name", out _)))
        {
            var name = item.GetProperty("name").GetString()![prefix.Length..];
            var types = string.Join(' ', (item.GetProperty("content_type").GetString() ?? "").Split('/').Select(t => "type-" + HtmlEscape(t.ToLowerInvariant())));
            var date = HtmlEscape(item.GetProperty("last_modified").GetString() ?? "").Split('.')[0].Replace('T', ' ');
            body.Append($"   <tr class=\"item {types}\">\n    <td class=\"colname\"><a href=\"{Quote(name)}\">{HtmlEscape(name)}</a></td>\n")
                .Append($"    <td class=\"colsize\">{HumanReadable(item.GetProperty("bytes").GetInt64())}</td>\n    <td class=\"coldate\">{date}</td>\n   </tr>\n");
        }
        return body.Append("  </table>\n </body>\n</html>\n").ToString();
    }

    /// <summary>swift's 404 page for a container whose X-Container-Meta-Web-Listings is off.</summary>
    public static string Disabled(string label, string prefix, string? css, string index)
    {
        var body = new StringBuilder(DocType).Append("<html>\n<head>\n<title>Listing of ").Append(HtmlEscape(label)).Append("</title>\n");
        body.Append(css is not null
            ? $"  <link rel=\"stylesheet\" type=\"text/css\" href=\"{CssPath(css, prefix)}\" />\n"
            : "  <style type=\"text/css\">\n   h1 {font-size: 1em; font-weight: bold;}\n   p {font-size: 2}\n  </style>\n");
        body.Append("</head>\n<body>  <h1>Web Listing Disabled</h1>   <p>The owner of this web site has disabled web listing.")
            .Append("   <p>If you are the owner of this web site, you can enable   web listing by setting X-Container-Meta-Web-Listings.</p>");
        if (index.Length > 0)
        {
            body.Append("<h1>Index File Not Found</h1> <p>The owner of this web site has set  <b>X-Container-Meta-Web-Index: ")
                .Append(index).Append("</b>.  However, this file is not found.</p>");
        }
        return body.Append(" </body>\n</html>\n").ToString();
    }

    /// <summary>The stylesheet's address relative to the listed directory; absolute paths and URLs as given.</summary>
    private static string CssPath(string css, string prefix) =>
        css.StartsWith('/') || css.StartsWith("http://", StringComparison.Ordinal) || css.StartsWith("https://", StringComparison.Ordinal)
            ? Quote(css, ":/")
            : string.Concat(Enumerable.Repeat("../", prefix.Count(c => c == '/'))) + Quote(css);

    /// <summary>Python's <c>urllib.parse.quote</c>: everything but unreserved characters and <paramref name="safe"/> percent-encoded.</summary>
    public static string Quote(string value, string safe = "/")
    {
        var escaped = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            escaped.Append(char.IsAsciiLetterOrDigit(c) || "_.-~".Contains(c, StringComparison.Ordinal) || safe.Contains(c, StringComparison.Ordinal)
                ? c.ToString()
                : $"%{b:X2}");
        }
        return escaped.ToString();
    }

    /// <summary>Python's <c>html.escape</c> with quotes.</summary>
    public static string HtmlEscape(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#x27;", StringComparison.Ordinal);

    /// <summary>swift's <c>human_readable</c>: 1048576 is "1Mi" (each step rounded half to even, as Python's round).</summary>
    public static string HumanReadable(long bytes)
    {
        double value = bytes;
        var index = -1;
        const string suffixes = "KMGTPEZY";
        while (value >= 1024 && index + 1 < suffixes.Length)
        {
            index++;
            value = Math.Round(value / 1024, MidpointRounding.ToEven);
        }
        return index == -1
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : ((long)value).ToString(CultureInfo.InvariantCulture) + suffixes[index] + "i";
    }
}
