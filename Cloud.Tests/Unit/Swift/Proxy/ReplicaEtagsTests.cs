using System.Net;
using Cloud.Modules.Swift.Proxy;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Proxy;

/// <summary>
/// How the proxy takes a replicated PUT's ETag from its replicas (swift's <c>_store_object</c>: the set of the
/// successes' ETags must hold one value, else the PUT is a 500).
/// </summary>
public sealed class ReplicaEtagsTests
{
    private const string Body = "0cc175b9c0f1b6a831c399e269772661";
    private const string Other = "92eb5ffee6ae2fec3ad71c777531578f";

    [Test]
    public void Replicas_that_stored_the_same_body_agree_on_its_etag_with_or_without_quotes()
    {
        ReplicaEtags.TryAgree([Created(Body), Created($"\"{Body}\""), Created(Body)], out var etag).Should().BeTrue();
        etag.Should().Be(Body);
    }

    [Test]
    public void Replicas_that_stored_different_bodies_disagree_even_when_a_quorum_agrees()
    {
        ReplicaEtags.TryAgree([Created(Body), Created(Body), Created(Other)], out var etag).Should().BeFalse();
        etag.Should().BeNull();
    }

    [Test]
    public void Failures_and_missing_answers_carry_no_etag()
    {
        ReplicaEtags.TryAgree([Answer(HttpStatusCode.UnprocessableEntity, Other), null, Created(Body)], out var etag).Should().BeTrue();
        etag.Should().Be(Body);
        ReplicaEtags.TryAgree([Answer(HttpStatusCode.UnprocessableEntity, Other), null, Answer(HttpStatusCode.ServiceUnavailable, null)], out etag).Should().BeTrue();
        etag.Should().BeNull("nothing was stored, so there is no ETag to answer");
    }

    [Test]
    public void A_success_without_an_etag_is_a_value_of_its_own()
    {
        ReplicaEtags.TryAgree([Created(Body), Created(null)], out _).Should().BeFalse();
        ReplicaEtags.TryAgree([Created(null), Created(null)], out var etag).Should().BeTrue();
        etag.Should().BeNull();
    }

    private static HttpResponseMessage Created(string? etag) => Answer(HttpStatusCode.Created, etag);

    private static HttpResponseMessage Answer(HttpStatusCode status, string? etag)
    {
        var answer = new HttpResponseMessage(status);
        if (etag is not null)
        {
            answer.Headers.TryAddWithoutValidation("ETag", etag);
        }
        return answer;
    }
}
