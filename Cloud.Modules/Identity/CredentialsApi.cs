using Cloud.Modules.Identity.Credentials;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Identity;

/// <summary>
/// A user's credential bundle for one project (nova-manage project zipfile): novarc, the user's key and
/// certificate signed by the project's CA (made once, kept in the database), and the CA certificate.
/// </summary>
public sealed class CredentialsApi(IdentityApi identity, FlagValues flags)
{
    public async Task<CredentialFiles> BundleAsync(string projectName, string userName, string? password, CancellationToken cancellationToken)
    {
        var project = await identity.GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        var user = await identity.GetUserAsync(userName, cancellationToken).ConfigureAwait(false);
        if ((await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            throw CloudException.Invalid($"user {userName} is not a member of project {projectName}");
        }
        if (project.CaCertificate is null || project.CaPrivateKey is null)
        {
            using var created = ProjectCertificateAuthority.Create(project.Name);
            // Another process may have stored its CA first; the stored one is what everyone uses.
            project = await identity.SetProjectCaAsync(project, created.CertificatePem, created.PrivateKeyPem, cancellationToken).ConfigureAwait(false);
        }
        using var ca = ProjectCertificateAuthority.Load(project.CaCertificate!, project.CaPrivateKey!);
        var certificate = ca.IssueUserCertificate(user.Name, project.Name);
        var novarc = NovaRc.Render(new NovaRcSettings
        {
            User = user.Name,
            Project = project.Name,
            // nova's access:project form: the EC2 API then acts in this project.
            Ec2AccessKey = $"{user.AccessKey}:{project.Name}",
            Ec2SecretKey = user.SecretKey,
            Ec2Url = flags["ec2_url"]!,
            S3Url = $"http://{flags["s3_host"]}:3333",
            AuthUrl = flags["keystone_url"]!,
            NovaUrl = $"http://{flags["cc_host"]}:{flags["osapi_compute_listen_port"]}/v2.1",
            Password = password,
            RegionName = flags["region_name"]!,
        });
        return CredentialFiles.For(novarc, certificate, ca);
    }
}
