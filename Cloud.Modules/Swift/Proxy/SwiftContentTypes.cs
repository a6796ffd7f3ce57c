using System.Collections.Frozen;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The Content-Type swift's proxy gives an object uploaded without one (or with X-Detect-Content-Type): Python's
/// <c>mimetypes.guess_type</c> of its name, as Debian's python3 answers it: Python's built-in table overridden by
/// <c>/etc/mime.types</c> where present (read once, at start), a compression suffix (<c>.gz</c>, <c>.bz2</c>...) being an
/// encoding, not the type (<c>a.tar.gz</c> is <c>application/x-tar</c>), and <c>.tgz</c> standing for <c>.tar.gz</c>.
/// </summary>
public static class SwiftContentTypes
{
    /// <summary>The type of a name nothing is known about.</summary>
    public const string Default = "application/octet-stream";

    private const string SystemTable = "/etc/mime.types";

    // Python 3.11's mimetypes defaults (types_map, suffix_map, encodings_map).
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        [".3g2"] = "audio/3gpp2",
        [".3gp"] = "audio/3gpp",
        [".3gpp"] = "audio/3gpp",
        [".3gpp2"] = "audio/3gpp2",
        [".a"] = "application/octet-stream",
        [".aac"] = "audio/aac",
        [".adts"] = "audio/aac",
        [".ai"] = "application/postscript",
        [".aif"] = "audio/x-aiff",
        [".aifc"] = "audio/x-aiff",
        [".aiff"] = "audio/x-aiff",
        [".ass"] = "audio/aac",
        [".au"] = "audio/basic",
        [".avi"] = "video/x-msvideo",
        [".avif"] = "image/avif",
        [".bat"] = "text/plain",
        [".bcpio"] = "application/x-bcpio",
        [".bin"] = "application/octet-stream",
        [".bmp"] = "image/bmp",
        [".c"] = "text/plain",
        [".cdf"] = "application/x-netcdf",
        [".cpio"] = "application/x-cpio",
        [".csh"] = "application/x-csh",
        [".css"] = "text/css",
        [".csv"] = "text/csv",
        [".dll"] = "application/octet-stream",
        [".doc"] = "application/msword",
        [".dot"] = "application/msword",
        [".dvi"] = "application/x-dvi",
        [".eml"] = "message/rfc822",
        [".eps"] = "application/postscript",
        [".etx"] = "text/x-setext",
        [".exe"] = "application/octet-stream",
        [".gif"] = "image/gif",
        [".gtar"] = "application/x-gtar",
        [".h"] = "text/plain",
        [".h5"] = "application/x-hdf5",
        [".hdf"] = "application/x-hdf",
        [".heic"] = "image/heic",
        [".heif"] = "image/heif",
        [".htm"] = "text/html",
        [".html"] = "text/html",
        [".ico"] = "image/vnd.microsoft.icon",
        [".ief"] = "image/ief",
        [".jpe"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".jpg"] = "image/jpeg",
        [".js"] = "application/javascript",
        [".json"] = "application/json",
        [".ksh"] = "text/plain",
        [".latex"] = "application/x-latex",
        [".loas"] = "audio/aac",
        [".m1v"] = "video/mpeg",
        [".m3u"] = "application/vnd.apple.mpegurl",
        [".m3u8"] = "application/vnd.apple.mpegurl",
        [".man"] = "application/x-troff-man",
        [".me"] = "application/x-troff-me",
        [".mht"] = "message/rfc822",
        [".mhtml"] = "message/rfc822",
        [".mif"] = "application/x-mif",
        [".mjs"] = "application/javascript",
        [".mov"] = "video/quicktime",
        [".movie"] = "video/x-sgi-movie",
        [".mp2"] = "audio/mpeg",
        [".mp3"] = "audio/mpeg",
        [".mp4"] = "video/mp4",
        [".mpa"] = "video/mpeg",
        [".mpe"] = "video/mpeg",
        [".mpeg"] = "video/mpeg",
        [".mpg"] = "video/mpeg",
        [".ms"] = "application/x-troff-ms",
        [".n3"] = "text/n3",
        [".nc"] = "application/x-netcdf",
        [".nq"] = "application/n-quads",
        [".nt"] = "application/n-triples",
        [".nws"] = "message/rfc822",
        [".o"] = "application/octet-stream",
        [".obj"] = "application/octet-stream",
        [".oda"] = "application/oda",
        [".opus"] = "audio/opus",
        [".p12"] = "application/x-pkcs12",
        [".p7c"] = "application/pkcs7-mime",
        [".pbm"] = "image/x-portable-bitmap",
        [".pdf"] = "application/pdf",
        [".pfx"] = "application/x-pkcs12",
        [".pgm"] = "image/x-portable-graymap",
        [".pl"] = "text/plain",
        [".png"] = "image/png",
        [".pnm"] = "image/x-portable-anymap",
        [".pot"] = "application/vnd.ms-powerpoint",
        [".ppa"] = "application/vnd.ms-powerpoint",
        [".ppm"] = "image/x-portable-pixmap",
        [".pps"] = "application/vnd.ms-powerpoint",
        [".ppt"] = "application/vnd.ms-powerpoint",
        [".ps"] = "application/postscript",
        [".pwz"] = "application/vnd.ms-powerpoint",
        [".py"] = "text/x-python",
        [".pyc"] = "application/x-python-code",
        [".pyo"] = "application/x-python-code",
        [".qt"] = "video/quicktime",
        [".ra"] = "audio/x-pn-realaudio",
        [".ram"] = "application/x-pn-realaudio",
        [".ras"] = "image/x-cmu-raster",
        [".rdf"] = "application/xml",
        [".rgb"] = "image/x-rgb",
        [".roff"] = "application/x-troff",
        [".rtx"] = "text/richtext",
        [".sgm"] = "text/x-sgml",
        [".sgml"] = "text/x-sgml",
        [".sh"] = "application/x-sh",
        [".shar"] = "application/x-shar",
        [".snd"] = "audio/basic",
        [".so"] = "application/octet-stream",
        [".src"] = "application/x-wais-source",
        [".srt"] = "text/plain",
        [".sv4cpio"] = "application/x-sv4cpio",
        [".sv4crc"] = "application/x-sv4crc",
        [".svg"] = "image/svg+xml",
        [".swf"] = "application/x-shockwave-flash",
        [".t"] = "application/x-troff",
        [".tar"] = "application/x-tar",
        [".tcl"] = "application/x-tcl",
        [".tex"] = "application/x-tex",
        [".texi"] = "application/x-texinfo",
        [".texinfo"] = "application/x-texinfo",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".tr"] = "application/x-troff",
        [".trig"] = "application/trig",
        [".tsv"] = "text/tab-separated-values",
        [".txt"] = "text/plain",
        [".ustar"] = "application/x-ustar",
        [".vcf"] = "text/x-vcard",
        [".vtt"] = "text/vtt",
        [".wasm"] = "application/wasm",
        [".wav"] = "audio/x-wav",
        [".webm"] = "video/webm",
        [".webmanifest"] = "application/manifest+json",
        [".wiz"] = "application/msword",
        [".wsdl"] = "application/xml",
        [".xbm"] = "image/x-xbitmap",
        [".xlb"] = "application/vnd.ms-excel",
        [".xls"] = "application/vnd.ms-excel",
        [".xml"] = "text/xml",
        [".xpdl"] = "application/xml",
        [".xpm"] = "image/x-xpixmap",
        [".xsl"] = "application/xml",
        [".xwd"] = "image/x-xwindowdump",
        [".zip"] = "application/zip",
    };

    private static readonly FrozenDictionary<string, string> Suffixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".svgz"] = ".svg.gz", [".tgz"] = ".tar.gz", [".taz"] = ".tar.gz", [".tz"] = ".tar.gz", [".tbz2"] = ".tar.bz2", [".txz"] = ".tar.xz",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Encodings = new[] { ".gz", ".Z", ".bz2", ".xz", ".br" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, string>> Types = new(() => Load(File.Exists(SystemTable) ? File.ReadLines(SystemTable) : []));

    /// <summary>The guessed type of <paramref name="name"/>, or <see cref="Default"/>.</summary>
    public static string Guess(string name) => Guess(name, Types.Value);

    /// <summary>The guess against <paramref name="types"/>, a table <see cref="Load"/> built (tests build their own).</summary>
    public static string Guess(string name, FrozenDictionary<string, string> types)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(types);
        var (stem, extension) = SplitExtension(name);
        while (Suffixes.TryGetValue(extension, out var stands))
        {
            (stem, extension) = SplitExtension(stem + stands);
        }
        if (Encodings.Contains(extension))
        {
            (_, extension) = SplitExtension(stem);
        }
        return types.TryGetValue(extension, out var type) || types.TryGetValue(extension.ToLowerInvariant(), out type) ? type : Default;
    }

    /// <summary>Python's table overridden, line by line, by a mime.types file's (<c>type ext ext...</c>, # comments).</summary>
    public static FrozenDictionary<string, string> Load(IEnumerable<string> mimeTypesLines)
    {
        ArgumentNullException.ThrowIfNull(mimeTypesLines);
        var types = new Dictionary<string, string>(BuiltIn, StringComparer.Ordinal);
        foreach (var line in mimeTypesLines)
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var words = (hash < 0 ? line : line[..hash]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            foreach (var extension in words.Skip(1))
            {
                types["." + extension] = words[0];
            }
        }
        return types.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // posixpath.splitext: the last dot of the last path segment, not counting the segment's leading dots.
    private static (string Stem, string Extension) SplitExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        if (dot <= slash)
        {
            return (path, "");
        }
        var firstNonDot = slash + 1;
        while (firstNonDot < dot && path[firstNonDot] == '.')
        {
            firstNonDot++;
        }
        return firstNonDot == dot ? (path, "") : (path[..dot], path[dot..]);
    }
}
