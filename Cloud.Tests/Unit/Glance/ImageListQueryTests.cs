using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.V2;
using Cloud.Modules.Kernel;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class ImageListQueryTests
{
    private static ImageQuery Parse(string query) => ImagesRoutes.Query(new QueryCollection(QueryHelpers.ParseQuery(query)));

    [Test]
    public void Sort_keys_come_comma_separated_or_repeated_with_one_direction_or_one_per_key()
    {
        Parse("?sort_key=name,size&sort_dir=asc").Sort.Should().Equal(new ImageSortKey("name", false), new ImageSortKey("size", false));
        Parse("?sort_key=name&sort_key=size&sort_dir=asc&sort_dir=desc").Sort.Should().Equal(new ImageSortKey("name", false), new ImageSortKey("size", true));
        Parse("?sort=name:asc,created_at").Sort.Should().Equal(new ImageSortKey("name", false), new ImageSortKey("created_at", true));
        Parse("").Sort.Should().BeEmpty();
    }

    [Test]
    public void Filters_tags_and_free_form_properties_are_read()
    {
        var query = Parse("?name=k&status=active&tag=a&tag=b&size_min=10&protected=true&kernel_id=x&limit=5000&marker=m&member_status=all");

        (query.Name, query.Status, query.SizeMin, query.Protected, query.Marker, query.MemberStatus).Should().Be(("k", "active", 10L, true, "m", "all"));
        query.Tags.Should().Equal("a", "b");
        query.Properties.Should().Equal(new Dictionary<string, string> { ["kernel_id"] = "x" });
        query.Limit.Should().Be(ImageQuery.MaxLimit);
    }

    [Test]
    public void Exact_columns_and_hidden_filters_are_read_and_hidden_images_are_left_out_by_default()
    {
        var query = Parse("?size=7&checksum=c&os_hidden=true");

        (query.Size, query.Checksum, query.OsHidden, query.ExcludeKilled).Should().Be((7L, "c", true, true));
        query.Properties.Should().BeEmpty();
        Parse("").OsHidden.Should().BeFalse();
    }

    [TestCase("?sort_key=colour")]
    [TestCase("?sort_key=name&sort_dir=up")]
    [TestCase("?sort_key=name,size,id&sort_dir=asc,desc")]
    [TestCase("?size_max=abc")]
    [TestCase("?limit=-1")]
    [TestCase("?limit=two")]
    [TestCase("?protected=maybe")]
    [TestCase("?os_hidden=maybe")]
    [TestCase("?size=big")]
    public void Bad_parameters_are_a_400(string query)
    {
        FluentActions.Invoking(() => Parse(query)).Should().Throw<CloudException>().Where(e => e.Kind == CloudErrorKind.Invalid);
    }

    [TestCase("?size_min=abc", "Unable to filter on a range with a non-numeric value.")]
    [TestCase("?limit=-1", "limit param must be positive")]
    [TestCase("?limit=1.5", "limit param must be an integer")]
    public void Bad_ranges_and_limits_are_refused_in_glance_s_words(string query, string message)
    {
        FluentActions.Invoking(() => Parse(query)).Should().Throw<CloudException>().WithMessage(message);
    }

    [Test]
    public void Negative_size_bounds_are_numbers_as_glance_reads_them()
    {
        Parse("?size_max=-1").SizeMax.Should().Be(-1);
    }
}
