using System.Text;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>The four files of a credentials zip, as text.</summary>
/// <param name="NovaRc">From <see cref="Credentials.NovaRc.Render"/>.</param>
/// <param name="PrivateKeyPem">The user's key: <see cref="IssuedCertificate.PrivateKeyPem"/>.</param>
/// <param name="CertificatePem">The user's certificate: <see cref="IssuedCertificate.CertificatePem"/>.</param>
/// <param name="CaCertificatePem">The project CA's certificate: <see cref="ProjectCertificateAuthority.CertificatePem"/>.</param>
public sealed record CredentialFiles(string NovaRc, string PrivateKeyPem, string CertificatePem, string CaCertificatePem)
{
    /// <summary>The files for a freshly issued user certificate.</summary>
    public static CredentialFiles For(string novaRc, IssuedCertificate user, ProjectCertificateAuthority ca)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ca);
        return new CredentialFiles(novaRc, user.PrivateKeyPem, user.CertificatePem, ca.CertificatePem);
    }

    // novarc and the key are secrets; a record would print them.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("NovaRc = <secret>, PrivateKeyPem = <secret>, CertificatePem = ..., CaCertificatePem = ...");
        return true;
    }
}
