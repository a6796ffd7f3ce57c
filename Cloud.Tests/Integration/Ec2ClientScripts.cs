namespace Cloud.Tests.Integration;

/// <summary>Python snippets that drive boto3 and boto2 against the capturing endpoint, one request per call, in order.</summary>
internal static class Ec2ClientScripts
{
    /// <summary>Filter values that exercise the canonical query: space, +, =, &amp;, /, ~, *, UTF-8 and an empty value.</summary>
    public const string AwkwardFilters = "[{'Name': 'endpoint', 'Values': ['a b', 'x+y=z&w', '\u00e9/~*', '']}]";

    /// <summary>
    /// Four requests: SigV4 (the default), SigV2 (<c>signature_version='v2'</c>), and two presigned GET URLs fetched
    /// with urllib, the second carrying <see cref="AwkwardFilters"/>. Presigned URLs expire in 600 s.
    /// </summary>
    public const string Boto3 = $$"""
        import os, urllib.request
        import boto3
        from botocore.config import Config

        url, key, secret = os.environ['CLOUDD_EC2_URL'], os.environ['CLOUDD_KEY'], os.environ['CLOUDD_SECRET']

        def client(**config):
            return boto3.client('ec2', endpoint_url=url, region_name='nova', aws_access_key_id=key,
                                aws_secret_access_key=secret, config=Config(**config))

        client().describe_regions()
        client(signature_version='v2').describe_regions()
        for params in ({}, {'Filters': {{AwkwardFilters}}}):
            presigned = client().generate_presigned_url('describe_regions', Params=params, ExpiresIn=600, HttpMethod='GET')
            print(presigned)
            urllib.request.urlopen(presigned).read()
        """;

    /// <summary>boto2's <c>get_all_regions</c>: SigV4 with the scope boto2 derives from the host name.</summary>
    public const string Boto2 = """
        import os
        from boto.ec2.connection import EC2Connection
        from boto.ec2.regioninfo import RegionInfo

        conn = EC2Connection(aws_access_key_id=os.environ['CLOUDD_KEY'], aws_secret_access_key=os.environ['CLOUDD_SECRET'],
                             is_secure=False, port=int(os.environ['CLOUDD_EC2_PORT']), path='/services/Cloud',
                             region=RegionInfo(name='nova', endpoint='127.0.0.1'))
        print(conn.get_all_regions())
        """;
}
