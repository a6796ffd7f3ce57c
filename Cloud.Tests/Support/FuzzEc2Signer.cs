using Cloud.Modules.Identity.Ec2;

namespace Cloud.Tests.Support;

/// <summary>
/// Signs a mutated EC2 case (its parameters in the query string) with SigV2 and a real EC2 credential, so the hostile
/// parameters get past authentication to the actions: POST cases carry them as a form body (as awscli does), the
/// others in the query. A case whose content type was mutated keeps it, and so fails in the signature check instead.
/// </summary>
public sealed class FuzzEc2Signer(string host, string accessKey, string secretKey)
{
    public FuzzCase Sign(FuzzCase fuzz)
    {
        ArgumentNullException.ThrowIfNull(fuzz);
        var question = fuzz.PathAndQuery.IndexOf('?');
        var path = question < 0 ? fuzz.PathAndQuery : fuzz.PathAndQuery[..question];
        var parameters = question < 0 ? [] : fuzz.PathAndQuery[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(Decode(p[0]), p.Length > 1 ? Decode(p[1]) : "")).ToList();
        var form = fuzz.Method == "POST";
        var unsigned = new Ec2Request(fuzz.Method, host, path, form ? [] : parameters, form ? parameters : [],
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase), ReadOnlyMemory<byte>.Empty);
        if (form && parameters.Count == 0)
        {
            // SignV2 puts its parameters in the query of a request with an empty form; keep them in a form.
            unsigned = unsigned with { FormParameters = [new("Version", "2009-04-04")] };
        }
        var signed = Ec2RequestSigner.SignV2(unsigned, accessKey, secretKey, DateTimeOffset.UtcNow);
        var query = string.Join('&', signed.QueryParameters.Select(p => $"{AwsUriEncoding.Encode(p.Key)}={AwsUriEncoding.Encode(p.Value)}"));
        return fuzz with
        {
            PathAndQuery = query.Length == 0 ? path : $"{path}?{query}",
            Body = form ? signed.Body.ToArray() : fuzz.Body,
            ContentType = fuzz.ContentType ?? (form ? "application/x-www-form-urlencoded; charset=utf-8" : null),
        };
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
