using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Glance;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>
/// What a compute host of a running cloudd (on SQLite) uses to reach its glance: the real <see cref="GlanceImageFetcher"/>
/// reading as the cloud's image reader service user, and instance specs owned by the cloud's users.
/// </summary>
public sealed class ComputeHostGlance
{
    private readonly ApiCloud _cloud;
    private readonly IDbConnectionFactory _db;

    public ComputeHostGlance(ApiCloud cloud)
    {
        _cloud = cloud;
        _db = DbConnectionFactory.FromUrl($"sqlite:///{Path.Combine(cloud.StatePath, "cloudd.sqlite")}");
        Identity = IdentityApi.ForDatabase(_db, new TokenRevocations(_db, Options.Create(new IdentityFlags()), TimeProvider.System), Options.Create(new QuotaFlags()), TimeProvider.System);
    }

    public IdentityApi Identity { get; }

    public GlanceImageFetcher Fetcher() => new(Downloads());

    /// <summary>Glance's download client as a compute or volume host configures it, reading as the cloud's image reader.</summary>
    public ImageDownloadApi Downloads() => new(new HttpClient(), Options.Create(new GlanceFlags { GlanceApiServers = new Uri(_cloud.GlanceUrl).Authority }),
        ReaderToken());

    /// <summary>The compute host's image reader token source, as the compute role configures it.</summary>
    public ImageReaderToken ReaderToken(string password = ApiCloud.ImageReaderPassword) => new(new HttpClient(),
        Options.Create(new ImageReaderFlags { AuthUrl = $"{_cloud.KeystoneUrl}/v3", Password = password }), TimeProvider.System);

    /// <summary>An instance of <paramref name="user"/> in <paramref name="project"/> (booting image <paramref name="imageRef"/>).</summary>
    public async Task<InstanceSpec> OwnedByAsync(string user, string project, string imageRef = "ami")
    {
        var u = await Identity.GetUserAsync(user, default);
        var p = await Identity.GetProjectAsync(project, default);
        return new InstanceSpec("instance-00000001", Guid.NewGuid().ToString(), 64, 1, 0, imageRef, null, null, null, null, p.Id, u.Id);
    }
}
