using System.Text;

namespace Cloud.Modules.Identity.Credentials;

/// <summary>
/// Writes a user's <c>novarc</c>: the seed's EC2 variables (nova's <c>novarc.template</c>), the cactus
/// <c>NOVA_*</c> ones, the <c>AWS_*</c> ones for today's aws CLI and the <c>OS_*</c> ones for Keystone v3 clients.
/// <c>source /any/dir/novarc</c> works from any working directory: the key paths are found from the file's own place.
/// </summary>
/// <remarks>
/// The text is for bash (zsh also works except for the password prompt). Every value is single-quoted, so
/// nothing in a name, key or password is expanded or run; values never go into comments.
/// </remarks>
public static class NovaRc
{
    /// <summary>Renders the file (LF line ends, as bash needs).</summary>
    /// <exception cref="ArgumentException">A required value is empty or a value contains NUL.</exception>
    public static string Render(NovaRcSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        var rc = new Rc();

        rc.Line("# cloudd credentials: source this file (bash) to use the EC2 and OpenStack command-line clients.");
        rc.Line("# It holds the EC2 secret key (and the password if one was given): keep it private.");
        rc.Line();
        rc.Line("# The key files lie beside this file, wherever it was unzipped and wherever it is sourced from.");
        rc.Line("NOVA_KEY_DIR=$(dirname -- \"$(readlink -f -- \"${BASH_SOURCE[0]:-$0}\")\")");
        rc.Line();
        rc.Line("# EC2: euca2ools, ec2-api-tools (nova's novarc).");
        rc.Export("EC2_ACCESS_KEY", settings.Ec2AccessKey);
        rc.Export("EC2_SECRET_KEY", settings.Ec2SecretKey);
        rc.Export("EC2_URL", settings.Ec2Url);
        rc.Export("S3_URL", settings.S3Url);
        rc.Line("export EC2_USER_ID=42 # nova does not use a user id, but bundling requires one");
        rc.Line($"export EC2_PRIVATE_KEY=\"$NOVA_KEY_DIR/{CredentialsZip.PrivateKeyEntry}\"");
        rc.Line($"export EC2_CERT=\"$NOVA_KEY_DIR/{CredentialsZip.CertificateEntry}\"");
        rc.Line($"export NOVA_CERT=\"$NOVA_KEY_DIR/{CredentialsZip.CaCertificateEntry}\"");
        rc.Line("export EUCALYPTUS_CERT=\"$NOVA_CERT\" # euca-bundle-image requires it");
        // Single quotes: the aliases read the variables when run, so an odd character in a key cannot break them.
        rc.Line("alias ec2-bundle-image='ec2-bundle-image --cert \"$EC2_CERT\" --privatekey \"$EC2_PRIVATE_KEY\" --user \"$EC2_USER_ID\" --ec2cert \"$NOVA_CERT\"'");
        rc.Line("alias ec2-upload-bundle='ec2-upload-bundle -a \"$EC2_ACCESS_KEY\" -s \"$EC2_SECRET_KEY\" --url \"$S3_URL\" --ec2cert \"$NOVA_CERT\"'");
        rc.Line();
        rc.Line("# aws CLI: aws --endpoint-url \"$EC2_URL\" ec2 describe-instances");
        rc.Line("# (aws 2.13 and later read AWS_ENDPOINT_URL_EC2 and need no --endpoint-url).");
        rc.Line("export AWS_ACCESS_KEY_ID=\"$EC2_ACCESS_KEY\"");
        rc.Line("export AWS_SECRET_ACCESS_KEY=\"$EC2_SECRET_KEY\"");
        rc.Export("AWS_DEFAULT_REGION", settings.Ec2RegionName);
        rc.Line("export AWS_ENDPOINT_URL_EC2=\"$EC2_URL\"");
        rc.Line();
        rc.Line("# Cactus-era nova client.");
        rc.Line("export NOVA_API_KEY=\"$EC2_ACCESS_KEY\"");
        rc.Export("NOVA_USERNAME", settings.User);
        rc.Export("NOVA_PROJECT_ID", settings.Project);
        if (settings.NovaUrl is not null)
        {
            rc.Export("NOVA_URL", settings.NovaUrl);
        }
        rc.Line();
        rc.Line("# OpenStack clients (openstack, nova, glance, swift) through Keystone v3.");
        rc.Line("# A password left by another user's novarc would be the wrong one, and so would ids and tokens.");
        rc.Line($"if [ -n \"${{OS_USERNAME-}}\" ] && [ \"$OS_USERNAME\" != {Quote(settings.User)} ]; then unset OS_PASSWORD; fi");
        rc.Line("unset OS_CLOUD OS_TOKEN OS_AUTH_TYPE OS_USER_ID OS_PROJECT_ID OS_TENANT_ID OS_TENANT_NAME OS_USER_DOMAIN_ID OS_PROJECT_DOMAIN_ID");
        rc.Export("OS_AUTH_URL", settings.AuthUrl);
        rc.Line("export OS_IDENTITY_API_VERSION=3");
        rc.Export("OS_USERNAME", settings.User);
        rc.Export("OS_PROJECT_NAME", settings.Project);
        rc.Export("OS_USER_DOMAIN_NAME", settings.DomainName);
        rc.Export("OS_PROJECT_DOMAIN_NAME", settings.DomainName);
        rc.Export("OS_REGION_NAME", settings.RegionName);
        if (settings.Password is not null)
        {
            rc.Export("OS_PASSWORD", settings.Password);
        }
        else
        {
            rc.Line("# Asked only at a terminal, so that a script sourcing this file never waits on a prompt.");
            rc.Line("if [ -z \"${OS_PASSWORD-}\" ] && [ -t 0 ]; then");
            rc.Line("    read -rs -p \"OpenStack password for $OS_USERNAME in project $OS_PROJECT_NAME: \" OS_PASSWORD");
            rc.Line("    echo >&2");
            rc.Line("fi");
            rc.Line("export OS_PASSWORD");
        }
        return rc.ToString();
    }

    /// <summary>Quotes <paramref name="value"/> as one bash word that expands to exactly it: <c>it's</c> → <c>'it'\''s'</c>.</summary>
    /// <exception cref="ArgumentException">The value contains NUL, which no shell variable can hold.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A shell value cannot contain NUL.", nameof(value));
        }
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static void Validate(NovaRcSettings s)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(s.User, nameof(s.User));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Project, nameof(s.Project));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Ec2AccessKey, nameof(s.Ec2AccessKey));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Ec2SecretKey, nameof(s.Ec2SecretKey));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Ec2Url, nameof(s.Ec2Url));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.S3Url, nameof(s.S3Url));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.AuthUrl, nameof(s.AuthUrl));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.RegionName, nameof(s.RegionName));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Ec2RegionName, nameof(s.Ec2RegionName));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.DomainName, nameof(s.DomainName));
    }

    private sealed class Rc
    {
        private readonly StringBuilder _text = new();

        public void Line(string line = "") => _text.Append(line).Append('\n');

        public void Export(string name, string value) => Line($"export {name}={Quote(value)}");

        public override string ToString() => _text.ToString();
    }
}
