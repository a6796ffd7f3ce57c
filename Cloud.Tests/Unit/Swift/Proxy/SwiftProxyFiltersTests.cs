using Cloud.Modules.Swift.Proxy.Pipeline;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

public sealed class SwiftProxyFiltersTests
{
    [Test]
    public void An_empty_pipeline_is_every_standard_filter_in_swifts_order()
    {
        var filters = new SwiftProxyFilters("");

        filters.ToString().Should().Be(string.Join(" ", SwiftProxyFilters.Standard));
        filters.IsOn("tempurl").Should().BeTrue();
        filters.IsOn("container_quotas").Should().BeTrue("/info names it with '_', the pipeline with '-'");
    }

    [Test]
    public void A_pipeline_turns_on_what_it_names_and_what_the_proxy_cannot_run_without()
    {
        var filters = new SwiftProxyFilters("healthcheck, slo dlo");

        filters.IsOn("slo").Should().BeTrue();
        filters.IsOn("healthcheck").Should().BeTrue();
        filters.IsOn("tempauth").Should().BeTrue();
        filters.IsOn("catch_errors").Should().BeTrue();
        filters.IsOn("tempurl").Should().BeFalse();
        filters.IsOn("account_quotas").Should().BeFalse();
        filters.ToString().Should().StartWith("catch_errors healthcheck").And.EndWith("tempauth keystoneauth slo dlo proxy-server");
    }

    [Test]
    public void An_unknown_filter_is_refused_with_the_known_ones()
    {
        var act = () => new SwiftProxyFilters("catch_errors s3api tempauth");

        act.Should().Throw<ArgumentException>().WithMessage("*s3api*standard pipeline has: catch_errors gatekeeper*");
    }
}
