using System.Globalization;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>The storage policy a request to an object server is for (the proxy's X-Backend-Storage-Policy-Index).</summary>
internal static class StoragePolicyIndex
{
    // Far more than any cluster defines; a bound so a hostile header cannot name absurd directories.
    private const int Max = 1_000_000;

    /// <summary>The index; 0 without the header; null when it is not an index.</summary>
    public static int? Of(IHeaderDictionary headers)
    {
        var text = headers[SwiftStoragePolicies.IndexHeader].ToString();
        if (text.Length == 0)
        {
            return 0;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= Max ? index : null;
    }
}
