using Cloud.Modules.Kernel.Bus;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class TopicTests
{
    [Test]
    public void Host_topics_route_as_topic_dot_host_and_fan_out_on_the_topic_exchange()
    {
        var topic = Topic.ForHost("compute", "brontes.example.com");

        topic.RoutingKey.Should().Be("compute.brontes.example.com");
        topic.FanoutExchange.Should().Be("compute_fanout");
        Topic.Parse("compute.brontes.example.com").Should().Be(topic);
        Topic.Parse("scheduler").Should().Be(Topic.Shared("scheduler"));
    }

    [TestCase("")]
    [TestCase("compute.x")]
    public void A_topic_name_is_one_word(string name) =>
        ((Action)(() => Topic.Shared(name))).Should().Throw<ArgumentException>();
}
