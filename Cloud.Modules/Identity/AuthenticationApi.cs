using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Identity;

/// <summary>
/// Turns what a request carries (a Keystone token, or a verified EC2 signature) into the one
/// <see cref="RequestContext"/> every module works with and <see cref="Policy"/> checks.
/// </summary>
public sealed class AuthenticationApi(TokenApi tokens, IdentityApi identity, Ec2SignatureVerifier ec2Signatures, Ec2CredentialsApi ec2Credentials)
{
    /// <summary>
    /// Checks an EC2 Query API request's AWS signature (V4 or V2) against the EC2 keys of the user its access key
    /// names (<c>ACCESS</c> or <c>ACCESS:project</c>), or of the Keystone EC2 credential it names; the result says which
    /// secret signed it, or the EC2 error to answer.
    /// </summary>
    public Task<Ec2VerificationResult> VerifyEc2Async(Ec2Request request, CancellationToken cancellationToken) =>
        ec2Signatures.VerifyAsync(request, Ec2SecretAsync, cancellationToken);

    private async Task<Ec2Secret?> Ec2SecretAsync(string accessKey, CancellationToken cancellationToken)
    {
        var colon = accessKey.IndexOf(':', StringComparison.Ordinal);
        var user = await identity.FindUserByAccessKeyAsync(colon < 0 ? accessKey : accessKey[..colon], cancellationToken).ConfigureAwait(false);
        if (user is not null)
        {
            return new Ec2Secret(accessKey, user.SecretKey, user.Id, ProjectName: colon < 0 ? null : accessKey[(colon + 1)..]);
        }
        var credential = await ec2Credentials.FindAsync(accessKey, cancellationToken).ConfigureAwait(false);
        return credential is null ? null : new Ec2Secret(accessKey, credential.Secret, credential.UserId, credential.ProjectId);
    }

    /// <summary>
    /// The context of an <c>X-Auth-Token</c>; 401 when it is missing, forged, expired or revoked, 403 for an image reader's
    /// token, which only glance honours (<see cref="FromTokenOrImageReaderAsync"/>).
    /// </summary>
    public async Task<RequestContext> FromTokenAsync(string? token, string requestId, string? remoteAddress, CancellationToken cancellationToken)
    {
        var context = await FromTokenOrImageReaderAsync(token, requestId, remoteAddress, cancellationToken).ConfigureAwait(false);
        return context.Roles.Contains(Roles.ImageReader)
            ? throw CloudException.Forbidden($"A token with the {Roles.ImageReader} role serves only to read images from glance.")
            : context;
    }

    /// <summary>
    /// What an <c>X-Auth-Token</c> says (ids, names, roles, the user's domain), for a service that matches names as well as
    /// ids (swift's keystoneauth ACLs); refused as <see cref="FromTokenAsync"/> refuses.
    /// </summary>
    public async Task<Tokens.TokenPayload> PayloadFromTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw CloudException.Unauthorized("The request you have made requires authentication (X-Auth-Token).");
        }
        var payload = await tokens.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        return payload.Roles.Contains(Roles.ImageReader)
            ? throw CloudException.Forbidden($"A token with the {Roles.ImageReader} role serves only to read images from glance.")
            : payload;
    }

    /// <summary>The context of an <c>X-Auth-Token</c>, an image reader's too: for glance, which confines the reader to image reads.</summary>
    public async Task<RequestContext> FromTokenOrImageReaderAsync(string? token, string requestId, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw CloudException.Unauthorized("The request you have made requires authentication (X-Auth-Token).");
        }
        var payload = await tokens.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        return new RequestContext(payload.UserId, payload.ProjectId, payload.Roles.Contains(Roles.Admin), payload.Roles, requestId, remoteAddress);
    }

    /// <summary>The context of an HTTP request's <c>X-Auth-Token</c>, with its request id and remote address (the OpenStack APIs' callers).</summary>
    public Task<RequestContext> FromHttpAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FromTokenAsync(
            context.Request.Headers["X-Auth-Token"].ToString(),
            (string)context.Items[nameof(RequestContext.RequestId)]!,
            context.Connection.RemoteIpAddress?.ToString(),
            context.RequestAborted);
    }

    /// <summary>
    /// The context of a verified EC2 request. The project is the Keystone EC2 credential's, or the one named in a nova-style
    /// <c>access:project</c> key, else the user's first project; the user must hold a role in it (admins may use any).
    /// </summary>
    public async Task<RequestContext> FromEc2Async(Ec2Secret secret, string requestId, string? remoteAddress, CancellationToken cancellationToken)
    {
        var user = await identity.FindUserByIdAsync(secret.UserId!, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Unauthorized("AWS was not able to validate the provided access credentials.");
        var project = secret switch
        {
            { ProjectId: { } id } => await identity.FindProjectAsync(null, id, cancellationToken).ConfigureAwait(false),
            { ProjectName: { } name } => await identity.FindProjectAsync(name, null, cancellationToken).ConfigureAwait(false),
            _ => (await identity.ListProjectsAsync(user.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(),
        };
        if (project is null)
        {
            return new RequestContext(user.Id, null, user.IsAdmin, user.IsAdmin ? [Roles.Admin] : [], requestId, remoteAddress);
        }
        var roles = await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false);
        if (roles.Count == 0)
        {
            throw CloudException.Forbidden($"User {user.Name} is not a member of project {project.Name}.");
        }
        return new RequestContext(user.Id, project.Id, roles.Contains(Roles.Admin), roles, requestId, remoteAddress);
    }

    /// <summary>
    /// The context of the user <paramref name="userId"/> in the project <paramref name="projectId"/>, with the roles they hold
    /// there (none when they hold none or the project is gone), for a service that acts on a user's behalf (glance's image
    /// reader); 403 when the user no longer exists.
    /// </summary>
    public async Task<RequestContext> OnBehalfOfAsync(string userId, string projectId, RequestContext service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var user = await identity.FindUserByIdAsync(userId, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Forbidden($"The instance owner (user {userId}) no longer exists.");
        var project = await identity.FindProjectAsync(null, projectId, cancellationToken).ConfigureAwait(false);
        var roles = project is null ? [] : await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false);
        return new RequestContext(user.Id, project?.Id, roles.Contains(Roles.Admin), roles, service.RequestId, service.RemoteAddress);
    }
}
