using System.Text.Json;
using Cloud.Modules.Api.Keystone.Schemas;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Api;

/// <summary>Keystone's jsonschema 400s, compared (whitespace aside: pprint wraps at 80 columns) with what Keystone 22 answered.</summary>
public sealed class KeystoneSchemaErrorTests
{
    private static string Flat(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Test]
    public void A_project_without_a_name_prints_the_project_create_schema_and_the_instance()
    {
        var error = KeystoneSchemaError.Required(ProjectCreateSchema.Schema, "name", JsonDocument.Parse("""{"domain_id": "default"}""").RootElement);

        Flat(error.Message).Should().Be(Flat("""
            'name' is a required property

            Failed validating 'required' in schema:
                {'additionalProperties': True, 'properties': {'description': {'type': ['string', 'null']}, 'domain_id': {'maxLength': 64,
                 'minLength': 1, 'pattern': '^[a-zA-Z0-9-]+$', 'type': ['string', 'null']}, 'enabled': {'enum': [True, False, None],
                 'type': 'boolean'}, 'is_domain': {'enum': [True, False, None], 'type': 'boolean'}, 'name': {'maxLength': 64,
                 'minLength': 1, 'pattern': '[\\S]+', 'type': 'string'}, 'options': {'additionalProperties': False, 'properties':
                 {'immutable': {'enum': [True, False, None], 'type': ['boolean', 'null']}}, 'type': 'object'}, 'parent_id':
                 {'maxLength': 64, 'minLength': 1, 'pattern': '^[a-zA-Z0-9-]+$', 'type': ['string', 'null']}, 'tags': {'items':
                 {'maxLength': 255, 'minLength': 1, 'pattern': '^[^,/]*$', 'type': 'string'}, 'maxItems': 80, 'required': [],
                 'type': 'array', 'uniqueItems': True}}, 'required': ['name'], 'type': 'object'}

            On instance:
                {'domain_id': 'default'}
            """));
    }

    [Test]
    public void Identity_without_methods_names_the_field_and_the_subschema_path()
    {
        var error = KeystoneSchemaError.Required(TokenIssueSchema.Schema, "methods", JsonDocument.Parse("""{"identity": {}}""").RootElement, "identity");

        error.Message.Should().StartWith("Invalid input for field 'identity': 'methods' is a required property\n\nFailed validating 'required' in schema['properties']['identity']:\n    {'properties': {'methods': {'items': {'type': 'string'}, 'type': 'array'}, 'password':")
            .And.EndWith("'required': ['methods'], 'type': 'object'}\n\nOn instance['identity']:\n    {}");
    }
}
