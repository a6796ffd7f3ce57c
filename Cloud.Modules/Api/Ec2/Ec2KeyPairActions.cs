using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>CreateKeyPair, ImportKeyPair, DescribeKeyPairs and DeleteKeyPair.</summary>
public sealed class Ec2KeyPairActions(KeyPairApi keyPairs) : IEc2Actions
{
    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["CreateKeyPair"] = CreateAsync,
        ["ImportKeyPair"] = ImportAsync,
        ["DescribeKeyPairs"] = DescribeAsync,
        ["DeleteKeyPair"] = DeleteAsync,
    };

    private async Task<XDocument> CreateAsync(Ec2Call call)
    {
        var (pair, privateKey) = await Ec2Errors.Translate(keyPairs.CreateAsync(call.Context, call.Required("KeyName"), call.CancellationToken),
            conflict: "InvalidKeyPair.Duplicate").ConfigureAwait(false);
        return Response("CreateKeyPair", call.RequestId, [.. Fields(pair), Element("keyMaterial", privateKey)]);
    }

    /// <summary>botocore sends PublicKeyMaterial base64-encoded (a blob); a plain OpenSSH line is accepted too.</summary>
    private async Task<XDocument> ImportAsync(Ec2Call call)
    {
        var material = call.Required("PublicKeyMaterial");
        var buffer = new byte[material.Length];
        var publicKey = Convert.TryFromBase64String(material, buffer, out var length) ? System.Text.Encoding.UTF8.GetString(buffer, 0, length) : material;
        try
        {
            var pair = await Ec2Errors.Translate(keyPairs.ImportAsync(call.Context, call.Required("KeyName"), publicKey, call.CancellationToken),
                conflict: "InvalidKeyPair.Duplicate").ConfigureAwait(false);
            return Response("ImportKeyPair", call.RequestId, Fields(pair));
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Invalid)
        {
            throw new Ec2ActionException("InvalidKeyPair.Format", e.Message);
        }
    }

    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var all = await keyPairs.ListAsync(call.Context, call.CancellationToken).ConfigureAwait(false);
        var names = call.List("KeyName");
        var missing = names.Where(n => all.All(k => k.Name != n)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2ActionException("InvalidKeyPair.NotFound", $"The key pair '{string.Join(", ", missing)}' does not exist");
        }
        var shown = names.Count == 0 ? all : all.Where(k => names.Contains(k.Name, StringComparer.Ordinal));
        return Response("DescribeKeyPairs", call.RequestId, Set("keySet", shown.Select(Fields)));
    }

    /// <summary>As EC2: deleting a key pair that does not exist succeeds.</summary>
    private async Task<XDocument> DeleteAsync(Ec2Call call)
    {
        try
        {
            await keyPairs.DeleteAsync(call.Context, call.Required("KeyName"), call.CancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
        }
        return Response("DeleteKeyPair", call.RequestId, Element("return", "true"));
    }

    private static IEnumerable<XElement> Fields(KeyPair pair) =>
    [
        Element("keyPairId", $"key-{pair.Id:x8}"),
        Element("keyName", pair.Name),
        Element("keyFingerprint", pair.Fingerprint),
    ];
}
