using System.Text;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>
/// A user certificate and its new key, as <see cref="ProjectCertificateAuthority.IssueUserCertificate"/> made them:
/// the zip's <c>cert.pem</c> and <c>pk.pem</c>. The key is handed out once and not kept by the cloud; keep
/// <see cref="SerialNumber"/>, <see cref="Subject"/> and <see cref="NotAfter"/> if certificates are to be listed or revoked.
/// </summary>
/// <param name="CertificatePem">The certificate, PEM <c>-----BEGIN CERTIFICATE-----</c>.</param>
/// <param name="PrivateKeyPem">
/// The user's key as unencrypted PKCS#1 PEM (<c>-----BEGIN RSA PRIVATE KEY-----</c>), the form of nova's
/// <c>pk.pem</c> that euca2ools and ec2-ami-tools read.
/// </param>
/// <param name="SerialNumber">The serial in upper-case hex, as <c>openssl x509 -serial</c> prints it.</param>
/// <param name="Subject">e.g. <c>CN=berendt, OU=testing, O=cloudd</c>.</param>
/// <param name="NotAfter">The end of the certificate's validity (UTC).</param>
public sealed record IssuedCertificate(
    string CertificatePem,
    string PrivateKeyPem,
    string SerialNumber,
    string Subject,
    DateTimeOffset NotAfter)
{
    // A record prints every member; a logged key would be a leaked key.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"SerialNumber = {SerialNumber}, Subject = {Subject}, NotAfter = {NotAfter:u}");
        return true;
    }
}
