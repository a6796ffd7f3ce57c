using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Glance.V1;

/// <summary>The image API v1 on <c>glance_port</c> (api-compat §4.5): images and their members.</summary>
public sealed class GlanceV1Routes(V1ImagesRoutes images, V1MembersRoutes members)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        images.Map(app);
        members.Map(app);
    }
}
