using System.Text.Json;
using Cloud.Modules.Glance.V2;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class GlanceSchemasTests
{
    [Test]
    public void Every_schema_glance_serves_is_there_under_its_path_and_names_itself()
    {
        GlanceSchemas.ByPath.Keys.Should().BeEquivalentTo(
            "image", "images", "member", "members", "task", "tasks",
            "metadefs/namespace", "metadefs/namespaces", "metadefs/object", "metadefs/objects", "metadefs/property",
            "metadefs/properties", "metadefs/tag", "metadefs/tags", "metadefs/resource_type", "metadefs/resource_types");
        foreach (var (path, schema) in GlanceSchemas.ByPath)
        {
            JsonDocument.Parse(schema).RootElement.GetProperty("name").GetString().Should().NotBeNullOrEmpty(path);
        }
    }
}
