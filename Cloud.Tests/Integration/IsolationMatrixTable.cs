namespace Cloud.Tests.Integration;

/// <summary>
/// One request of the matrix: <see cref="Verb"/> (list, show, update, delete, action) of <see cref="Resource"/> through
/// <see cref="Api"/>, sent by another project's user. <see cref="Path"/> and <see cref="Body"/> are templates over
/// project A's ids (<c>{server}</c> ...). A list passes when it answers 200 without any of <see cref="Absent"/>; any
/// other cell when its status is one of <see cref="Statuses"/> and, for EC2, its error code is <see cref="Ec2Code"/> (or one of its <c>|</c>-separated alternatives).
/// </summary>
public sealed record IsolationCell(
    string Resource, string Verb, string Api, string Method, string Path, string? Body, int[] Statuses, string? Ec2Code, string[] Absent)
{
    public bool IsList => Absent.Length > 0;

    public override string ToString() => $"{Resource} {Verb} {Api}: {Method} {Path}";
}

/// <summary>A resource type of the matrix: how A reads it (to see it unchanged after each cell) and its cells.</summary>
public sealed record IsolationRow(string Resource, string StateApi, string StatePath, IReadOnlyList<IsolationCell> Cells);

/// <summary>
/// THE table of issue 15, item 7a: every resource type a project owns, by every verb of every API that serves it, with
/// the answer the real service gives another project's member. Nova, Cinder and Glance hide what is not yours (404);
/// Keystone refuses another user's credentials (403, its policy <c>user_id:%(target...user_id)s</c>) and a member
/// another project's quota (403, nova's and cinder's <c>project_reader_or_admin</c>); Swift's keystoneauth refuses an
/// authenticated user in another account (403); EC2 answers the resource's <c>...NotFound</c> code (400). AWS's
/// DeleteKeyPair succeeds for a name that is not there, so that cell only demands A's key pair survives.
/// </summary>
public static class IsolationMatrixTable
{
    private const string Nova = "nova";
    private const string Cinder = "cinder";
    private const string Glance = "glance";
    private const string Keystone = "keystone";
    private const string Swift = "swift";
    private const string Ec2 = "ec2";

    /// <summary>
    /// nova-network refuses an address allocated to another project as not owned (Forbidden, EC2's UnauthorizedOperation,
    /// "not allocated to your project"); AWS answers InvalidAddress.NotFound. Either hides everything but that the
    /// public address is taken, which the shared pool shows anyway.
    /// </summary>
    private const string AddressNotYours = "InvalidAddress.NotFound|UnauthorizedOperation";

    public static readonly IReadOnlyList<IsolationRow> Rows =
    [
        Row("servers", Nova, "GET /v2.1/servers/{server}",
            List(Nova, "GET /v2.1/servers/detail", "{server}", "a-server"),
            Os(Nova, "list", "GET /v2.1/servers?all_tenants=1", statuses: [403]),
            Os(Nova, "show", "GET /v2.1/servers/{server}"),
            Os(Nova, "update", "PUT /v2.1/servers/{server}", """{"server":{"name":"b-was-here"}}"""),
            Os(Nova, "delete", "DELETE /v2.1/servers/{server}"),
            Os(Nova, "action", "POST /v2.1/servers/{server}/action", """{"os-stop":null}"""),
            Os(Nova, "action", "POST /v2.1/servers/{server}/action", """{"reboot":{"type":"HARD"}}"""),
            Os(Nova, "action", "POST /v2.1/servers/{server}/action", """{"createImage":{"name":"b-copy"}}"""),
            Os(Nova, "show", "GET /v2.1/servers/{server}/ips"),
            Os(Nova, "show", "GET /v2.1/servers/{server}/os-security-groups"),
            List(Ec2, "Action=DescribeInstances", "{ec2_instance}", "{server}"),
            Ec2Cell("show", "Action=DescribeInstances&InstanceId.1={ec2_instance}", "InvalidInstanceID.NotFound"),
            Ec2Cell("delete", "Action=TerminateInstances&InstanceId.1={ec2_instance}", "InvalidInstanceID.NotFound"),
            Ec2Cell("action", "Action=StopInstances&InstanceId.1={ec2_instance}", "InvalidInstanceID.NotFound"),
            Ec2Cell("action", "Action=StartInstances&InstanceId.1={ec2_instance}", "InvalidInstanceID.NotFound"),
            Ec2Cell("action", "Action=RebootInstances&InstanceId.1={ec2_instance}", "InvalidInstanceID.NotFound")),
        Row("server metadata", Nova, "GET /v2.1/servers/{server}/metadata",
            Os(Nova, "list", "GET /v2.1/servers/{server}/metadata"),
            Os(Nova, "show", "GET /v2.1/servers/{server}/metadata/owner"),
            Os(Nova, "update", "PUT /v2.1/servers/{server}/metadata/owner", """{"meta":{"owner":"b"}}"""),
            Os(Nova, "update", "PUT /v2.1/servers/{server}/metadata", """{"metadata":{"owner":"b"}}"""),
            Os(Nova, "update", "POST /v2.1/servers/{server}/metadata", """{"metadata":{"b":"b"}}"""),
            Os(Nova, "delete", "DELETE /v2.1/servers/{server}/metadata/owner")),
        Row("server tags", Nova, "GET /v2.1/servers/{server}/tags",
            Os(Nova, "list", "GET /v2.1/servers/{server}/tags"),
            Os(Nova, "show", "GET /v2.1/servers/{server}/tags/a-tag"),
            Os(Nova, "update", "PUT /v2.1/servers/{server}/tags/b-tag"),
            Os(Nova, "update", "PUT /v2.1/servers/{server}/tags", """{"tags":["b-tag"]}"""),
            Os(Nova, "delete", "DELETE /v2.1/servers/{server}/tags/a-tag"),
            Os(Nova, "delete", "DELETE /v2.1/servers/{server}/tags")),
        Row("instance actions", Nova, "GET /v2.1/servers/{server}/os-instance-actions/{request_id}",
            Os(Nova, "list", "GET /v2.1/servers/{server}/os-instance-actions"),
            Os(Nova, "show", "GET /v2.1/servers/{server}/os-instance-actions/{request_id}")),
        Row("console output", Nova, "GET /v2.1/servers/{server}",
            Os(Nova, "action", "POST /v2.1/servers/{server}/action", """{"os-getConsoleOutput":{"length":10}}"""),
            Ec2Cell("action", "Action=GetConsoleOutput&InstanceId={ec2_instance}", "InvalidInstanceID.NotFound")),
        Row("key pairs", Nova, "GET /v2.1/os-keypairs/a-key",
            List(Nova, "GET /v2.1/os-keypairs", "a-key"),
            Os(Nova, "show", "GET /v2.1/os-keypairs/a-key"),
            Os(Nova, "delete", "DELETE /v2.1/os-keypairs/a-key"),
            // At microversion 2.1 nova ignores user_id (2.10 added it, for admins): the lookup is B's own key pairs.
            Os(Nova, "show", "GET /v2.1/os-keypairs/a-key?user_id={user_a}"),
            Os(Nova, "delete", "DELETE /v2.1/os-keypairs/a-key?user_id={user_a}"),
            List(Ec2, "Action=DescribeKeyPairs", "a-key"),
            Ec2Cell("show", "Action=DescribeKeyPairs&KeyName.1=a-key", "InvalidKeyPair.NotFound"),
            resource => new IsolationCell(resource, "delete", Ec2, "POST", "Action=DeleteKeyPair&KeyName=a-key", null, [200], null, [])),
        Row("security groups", Nova, "GET /v2.1/os-security-groups/{security_group}",
            List(Nova, "GET /v2.1/os-security-groups", "a-group"),
            Os(Nova, "show", "GET /v2.1/os-security-groups/{security_group}"),
            Os(Nova, "update", "PUT /v2.1/os-security-groups/{security_group}", """{"security_group":{"name":"b-was-here","description":"B"}}"""),
            Os(Nova, "delete", "DELETE /v2.1/os-security-groups/{security_group}"),
            Os(Nova, "action", "POST /v2.1/os-security-group-rules",
                """{"security_group_rule":{"parent_group_id":"{security_group}","ip_protocol":"tcp","from_port":80,"to_port":80,"cidr":"0.0.0.0/0"}}"""),
            Os(Nova, "delete", "DELETE /v2.1/os-security-group-rules/{security_group_rule}"),
            List(Ec2, "Action=DescribeSecurityGroups", "a-group"),
            Ec2Cell("show", "Action=DescribeSecurityGroups&GroupName.1=a-group", "InvalidGroup.NotFound"),
            Ec2Cell("show", "Action=DescribeSecurityGroups&GroupId.1={ec2_security_group}", "InvalidGroup.NotFound"),
            Ec2Cell("delete", "Action=DeleteSecurityGroup&GroupId={ec2_security_group}", "InvalidGroup.NotFound"),
            Ec2Cell("action", "Action=AuthorizeSecurityGroupIngress&GroupId={ec2_security_group}&IpProtocol=tcp&FromPort=80&ToPort=80&CidrIp=0.0.0.0/0",
                "InvalidGroup.NotFound"),
            Ec2Cell("action", "Action=RevokeSecurityGroupIngress&GroupId={ec2_security_group}&IpProtocol=tcp&FromPort=22&ToPort=22&CidrIp=10.0.0.0/8",
                "InvalidGroup.NotFound")),
        Row("floating IPs", Nova, "GET /v2.1/os-floating-ips/{floating_ip_id}",
            List(Nova, "GET /v2.1/os-floating-ips", "{floating_ip}"),
            Os(Nova, "show", "GET /v2.1/os-floating-ips/{floating_ip_id}"),
            Os(Nova, "delete", "DELETE /v2.1/os-floating-ips/{floating_ip_id}"),
            List(Ec2, "Action=DescribeAddresses", "{floating_ip}"),
            Ec2Cell("show", "Action=DescribeAddresses&PublicIp.1={floating_ip}", AddressNotYours),
            Ec2Cell("delete", "Action=ReleaseAddress&PublicIp={floating_ip}", AddressNotYours),
            Ec2Cell("action", "Action=DisassociateAddress&PublicIp={floating_ip}", AddressNotYours)),
        Row("volumes", Cinder, "GET /volumes/{volume}",
            List(Cinder, "GET /volumes/detail", "{volume}", "a-volume"),
            List(Cinder, "GET /volumes?all_tenants=1", "{volume}"),
            Os(Cinder, "show", "GET /volumes/{volume}"),
            Os(Cinder, "show", "GET //v3/{project_a}/volumes/{volume}", statuses: [400, 403, 404]),
            Os(Cinder, "list", "GET //v3/{project_a}/volumes/detail", statuses: [400, 403, 404]),
            Os(Cinder, "delete", "DELETE //v3/{project_a}/volumes/{volume}", statuses: [400, 403, 404]),
            Os(Cinder, "show", "GET /volumes/{volume}/metadata"),
            Os(Cinder, "update", "PUT /volumes/{volume}", """{"volume":{"name":"b-was-here"}}"""),
            Os(Cinder, "update", "PUT /volumes/{volume}/metadata/owner", """{"meta":{"owner":"b"}}"""),
            Os(Cinder, "delete", "DELETE /volumes/{volume}"),
            Os(Cinder, "delete", "DELETE /volumes/{volume}/metadata/owner"),
            Os(Cinder, "action", "POST /volumes/{volume}/action", """{"os-extend":{"new_size":2}}"""),
            Os(Cinder, "action", "POST /volumes/{volume}/action", """{"os-set_bootable":{"bootable":true}}"""),
            Os(Cinder, "action", "POST /snapshots", """{"snapshot":{"volume_id":"{volume}","name":"b-snapshot"}}"""),
            List(Nova, "GET /v2.1/os-volumes/detail", "{volume}"),
            Os(Nova, "show", "GET /v2.1/os-volumes/{volume}"),
            Os(Nova, "delete", "DELETE /v2.1/os-volumes/{volume}"),
            List(Ec2, "Action=DescribeVolumes", "{ec2_volume}"),
            Ec2Cell("show", "Action=DescribeVolumes&VolumeId.1={ec2_volume}", "InvalidVolume.NotFound"),
            Ec2Cell("delete", "Action=DeleteVolume&VolumeId={ec2_volume}", "InvalidVolume.NotFound"),
            Ec2Cell("action", "Action=CreateSnapshot&VolumeId={ec2_volume}", "InvalidVolume.NotFound")),
        Row("volume snapshots", Cinder, "GET /snapshots/{snapshot}",
            List(Cinder, "GET /snapshots/detail", "{snapshot}", "a-snapshot"),
            Os(Cinder, "show", "GET /snapshots/{snapshot}"),
            Os(Cinder, "update", "PUT /snapshots/{snapshot}", """{"snapshot":{"name":"b-was-here"}}"""),
            Os(Cinder, "delete", "DELETE /snapshots/{snapshot}"),
            Os(Cinder, "action", "POST /volumes", """{"volume":{"size":1,"snapshot_id":"{snapshot}"}}"""),
            List(Nova, "GET /v2.1/os-snapshots/detail", "{snapshot}"),
            Os(Nova, "show", "GET /v2.1/os-snapshots/{snapshot}"),
            Os(Nova, "delete", "DELETE /v2.1/os-snapshots/{snapshot}"),
            List(Ec2, "Action=DescribeSnapshots", "{ec2_snapshot}"),
            Ec2Cell("show", "Action=DescribeSnapshots&SnapshotId.1={ec2_snapshot}", "InvalidSnapshot.NotFound"),
            Ec2Cell("delete", "Action=DeleteSnapshot&SnapshotId={ec2_snapshot}", "InvalidSnapshot.NotFound"),
            Ec2Cell("action", "Action=CreateVolume&SnapshotId={ec2_snapshot}&AvailabilityZone=nova", "InvalidSnapshot.NotFound")),
        Row("volume attachments", Cinder, "GET /attachments/{attachment}",
            List(Cinder, "GET /attachments/detail", "{attachment}"),
            Os(Cinder, "show", "GET /attachments/{attachment}"),
            Os(Cinder, "update", "PUT /attachments/{attachment}", """{"attachment":{"connector":{"host":"b","initiator":"iqn.b"}}}"""),
            Os(Cinder, "action", "POST /attachments/{attachment}/action", """{"os-complete":null}"""),
            Os(Cinder, "delete", "DELETE /attachments/{attachment}"),
            Os(Nova, "list", "GET /v2.1/servers/{server}/os-volume_attachments"),
            Os(Nova, "show", "GET /v2.1/servers/{server}/os-volume_attachments/{volume}"),
            Os(Nova, "delete", "DELETE /v2.1/servers/{server}/os-volume_attachments/{volume}"),
            Ec2Cell("action", "Action=AttachVolume&VolumeId={ec2_volume}&InstanceId={ec2_instance}&Device=/dev/vdc", "InvalidVolume.NotFound"),
            Ec2Cell("delete", "Action=DetachVolume&VolumeId={ec2_volume}", "InvalidVolume.NotFound")),
        Row("images (private)", Glance, "GET /v2/images/{image}",
            List(Glance, "GET /v2/images", "{image}"),
            List(Glance, "GET /v2/images?visibility=shared", "{image}"),
            List(Glance, "GET /v1/images/detail", "{image}"),
            List(Nova, "GET /v2.1/images/detail", "{image}"),
            Os(Glance, "show", "GET /v2/images/{image}"),
            Os(Glance, "show", "GET /v2/images/{image}/file"),
            Os(Glance, "show", "HEAD /v1/images/{image}"),
            Os(Nova, "show", "GET /v2.1/images/{image}"),
            Os(Glance, "update", "PATCH /v2/images/{image}", """[{"op":"replace","path":"/name","value":"b-was-here"}]"""),
            Os(Glance, "update", "PUT /v2/images/{image}/tags/b-tag"),
            Os(Glance, "update", "PUT /v1/images/{image}", null),
            Os(Glance, "update", "PUT /v2/images/{image}/file", "B's bytes"),
            Os(Glance, "delete", "DELETE /v2/images/{image}"),
            Os(Glance, "delete", "DELETE /v1/images/{image}"),
            Os(Glance, "action", "POST /v2/images/{image}/actions/deactivate", statuses: [403, 404]),
            Os(Nova, "action", "POST /v2.1/servers", """{"server":{"name":"b-server","imageRef":"{image}","flavorRef":"1"}}""", statuses: [400]),
            List(Ec2, "Action=DescribeImages", "{ec2_image}"),
            Ec2Cell("show", "Action=DescribeImages&ImageId.1={ec2_image}", "InvalidAMIID.NotFound"),
            Ec2Cell("delete", "Action=DeregisterImage&ImageId={ec2_image}", "InvalidAMIID.NotFound"),
            Ec2Cell("action", "Action=RunInstances&ImageId={ec2_image}&MinCount=1&MaxCount=1&InstanceType=m1.tiny", "InvalidAMIID.NotFound")),
        Row("image members", Glance, "GET /v2/images/{image}/members",
            Os(Glance, "list", "GET /v2/images/{image}/members"),
            Os(Glance, "list", "GET /v1/images/{image}/members"),
            Os(Glance, "show", "GET /v2/images/{image}/members/{project_c}"),
            Os(Glance, "update", "POST /v2/images/{image}/members", """{"member":"{project_b}"}"""),
            Os(Glance, "update", "PUT /v2/images/{image}/members/{project_c}", """{"status":"accepted"}"""),
            Os(Glance, "update", "PUT /v2/images/{image}/members/{project_b}", """{"status":"accepted"}"""),
            Os(Glance, "update", "PUT /v1/images/{image}/members/{project_b}"),
            Os(Glance, "delete", "DELETE /v2/images/{image}/members/{project_c}"),
            Os(Glance, "delete", "DELETE /v1/images/{image}/members/{project_c}")),
        Row("server groups", Nova, "GET /v2.1/os-server-groups/{server_group}",
            List(Nova, "GET /v2.1/os-server-groups", "{server_group}"),
            Os(Nova, "show", "GET /v2.1/os-server-groups/{server_group}"),
            Os(Nova, "delete", "DELETE /v2.1/os-server-groups/{server_group}"),
            Os(Nova, "action", "POST /v2.1/servers",
                """{"server":{"name":"b-server","imageRef":"{image}","flavorRef":"1"},"os:scheduler_hints":{"group":"{server_group}"}}""",
                statuses: [400, 404])),
        Row("quota sets", Nova, "GET /v2.1/os-quota-sets/{project_a}",
            Os(Nova, "show", "GET /v2.1/os-quota-sets/{project_a}", statuses: [403]),
            Os(Nova, "show", "GET /v2.1/os-quota-sets/{project_a}/detail", statuses: [403]),
            Os(Nova, "update", "PUT /v2.1/os-quota-sets/{project_a}", """{"quota_set":{"instances":1}}""", statuses: [403]),
            Os(Nova, "delete", "DELETE /v2.1/os-quota-sets/{project_a}", statuses: [403]),
            Os(Cinder, "show", "GET /os-quota-sets/{project_a}", statuses: [403]),
            Os(Cinder, "update", "PUT /os-quota-sets/{project_a}", """{"quota_set":{"volumes":1}}""", statuses: [403])),
        Row("EC2 credentials", Keystone, "GET /v3/users/{user_a}/credentials/OS-EC2/{ec2_access}",
            Os(Keystone, "list", "GET /v3/users/{user_a}/credentials/OS-EC2", statuses: [403]),
            List(Keystone, "GET /v3/credentials", "{ec2_access}", "{credential}"),
            Os(Keystone, "show", "GET /v3/users/{user_a}/credentials/OS-EC2/{ec2_access}", statuses: [403]),
            Os(Keystone, "show", "GET /v3/credentials/{credential}", statuses: [403, 404]),
            Os(Keystone, "delete", "DELETE /v3/users/{user_a}/credentials/OS-EC2/{ec2_access}", statuses: [403]),
            Os(Keystone, "delete", "DELETE /v3/credentials/{credential}", statuses: [403, 404]),
            Os(Keystone, "action", "POST /v3/users/{user_a}/credentials/OS-EC2", """{"tenant_id":"{project_a}"}""", statuses: [403]),
            // Keystone lets a user mint a pair for any project and refuses it when it is used (ec2tokens: "User not valid for
            // project"); IsolationMatrixTests checks that such a pair opens nothing of A's.
            Os(Keystone, "action", "POST /v3/users/{user_b}/credentials/OS-EC2", """{"tenant_id":"{project_a}"}""", statuses: [201, 401, 403])),
        Row("application credentials", Keystone, "GET /v3/users/{user_a}/application_credentials/{app_credential}",
            Os(Keystone, "list", "GET /v3/users/{user_a}/application_credentials", statuses: [403]),
            Os(Keystone, "show", "GET /v3/users/{user_a}/application_credentials/{app_credential}", statuses: [403]),
            Os(Keystone, "show", "GET /v3/users/{user_b}/application_credentials/{app_credential}", statuses: [404]),
            Os(Keystone, "delete", "DELETE /v3/users/{user_a}/application_credentials/{app_credential}", statuses: [403]),
            Os(Keystone, "delete", "DELETE /v3/users/{user_b}/application_credentials/{app_credential}", statuses: [404]),
            Os(Keystone, "action", "POST /v3/users/{user_a}/application_credentials", """{"application_credential":{"name":"b-made"}}""", statuses: [403])),
        Row("Swift account, container, object", Swift, "GET /v1/AUTH_{project_a}/a-container/a-object",
            Os(Swift, "list", "GET /v1/AUTH_{project_a}", statuses: [403]),
            Os(Swift, "show", "HEAD /v1/AUTH_{project_a}", statuses: [403]),
            Os(Swift, "update", "POST /v1/AUTH_{project_a}", statuses: [403]),
            Os(Swift, "list", "GET /v1/AUTH_{project_a}/a-container", statuses: [403]),
            Os(Swift, "show", "HEAD /v1/AUTH_{project_a}/a-container", statuses: [403]),
            Os(Swift, "update", "POST /v1/AUTH_{project_a}/a-container", statuses: [403]),
            Os(Swift, "update", "PUT /v1/AUTH_{project_a}/b-container", statuses: [403]),
            Os(Swift, "delete", "DELETE /v1/AUTH_{project_a}/a-container", statuses: [403]),
            Os(Swift, "show", "GET /v1/AUTH_{project_a}/a-container/a-object", statuses: [403]),
            Os(Swift, "show", "HEAD /v1/AUTH_{project_a}/a-container/a-object", statuses: [403]),
            Os(Swift, "update", "PUT /v1/AUTH_{project_a}/a-container/a-object", "B's bytes", statuses: [403]),
            Os(Swift, "update", "POST /v1/AUTH_{project_a}/a-container/a-object", statuses: [403]),
            Os(Swift, "delete", "DELETE /v1/AUTH_{project_a}/a-container/a-object", statuses: [403])),
    ];

    /// <summary>Every cell of the table, for NUnit to run one by one.</summary>
    public static IEnumerable<IsolationCell> Cells => Rows.SelectMany(r => r.Cells);

    public static IsolationRow RowOf(IsolationCell cell) => Rows.Single(r => r.Cells.Contains(cell));

    private static IsolationRow Row(string resource, string stateApi, string state, params Func<string, IsolationCell>[] cells)
    {
        var (method, path) = Split(state);
        return method == "GET" ? new IsolationRow(resource, stateApi, path, [.. cells.Select(c => c(resource))])
            : throw new ArgumentException($"A reads {resource} with a GET, not {state}", nameof(state));
    }

    private static (string Method, string Path) Split(string request) => (request[..request.IndexOf(' ')], request[(request.IndexOf(' ') + 1)..]);

    /// <summary>A request to an OpenStack API that must be refused with one of <paramref name="statuses"/> (404 unless told).</summary>
    private static Func<string, IsolationCell> Os(string api, string verb, string request, string? body = null, int[]? statuses = null) =>
        resource => new IsolationCell(resource, verb, api, Split(request).Method, Split(request).Path, body, statuses ?? [404], null, []);

    /// <summary>A listing that must answer 200 without any of <paramref name="absent"/> (A's ids and names).</summary>
    private static Func<string, IsolationCell> List(string api, string request, params string[] absent) =>
        resource => api == Ec2
            ? new IsolationCell(resource, "list", api, "POST", request, null, [200], null, absent)
            : new IsolationCell(resource, "list", api, Split(request).Method, Split(request).Path, null, [200], null, absent);

    /// <summary>An EC2 call that must fail with <paramref name="code"/> (HTTP 400).</summary>
    private static Func<string, IsolationCell> Ec2Cell(string verb, string form, string code) =>
        resource => new IsolationCell(resource, verb, Ec2, "POST", form, null, [400], code, []);
}
