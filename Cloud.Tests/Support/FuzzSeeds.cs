namespace Cloud.Tests.Support;

/// <summary>
/// The valid requests the fuzzer starts from, per API: every route of it (the method mutation then tries every verb
/// on each), with the ids of <see cref="FuzzCloud"/>'s real resources so mutations reach past the lookups. A seed's
/// own DELETE names a made-up id: the resources must outlive the run.
/// </summary>
public static class FuzzSeeds
{
    private const string Unknown = "5d2c9f5e-0b1a-4c3d-9e8f-0123456789ab";

    public static IReadOnlyList<FuzzSeed> Keystone(FuzzCloud c)
    {
        var password = """{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"fuzzuser","domain":{"id":"default"},"password":"fuzzuser-secret"}}},"scope":{"project":{"name":"fuzzproj","domain":{"id":"default"}}}}}""";
        var token = """{"auth":{"identity":{"methods":["token"],"token":{"id":"TOKEN"}},"scope":{"project":{"id":"PROJECT"}}}}"""
            .Replace("TOKEN", c.AdminToken, StringComparison.Ordinal).Replace("PROJECT", c.AdminProjectId, StringComparison.Ordinal);
        return
        [
            FuzzSeed.Get("/"), FuzzSeed.Get("/v3"), FuzzSeed.Get("/v2.0"),
            FuzzSeed.Json("POST", "/v3/auth/tokens", password), FuzzSeed.Json("POST", "/v3/auth/tokens?nocatalog", token),
            new("GET", "/v3/auth/tokens", Headers: [("X-Subject-Token", c.AdminToken)]),
            new("HEAD", "/v3/auth/tokens", Headers: [("X-Subject-Token", c.AdminToken)]),
            FuzzSeed.Get("/v3/auth/catalog"), FuzzSeed.Get("/v3/auth/projects"),
            FuzzSeed.Json("POST", "/v2.0/tokens", """{"auth":{"passwordCredentials":{"username":"fuzzuser","password":"fuzzuser-secret"},"tenantName":"fuzzproj"}}"""),
            FuzzSeed.Json("POST", "/v2.0/tokens", $$$"""{"auth":{"token":{"id":"{{{c.AdminToken}}}"},"tenantId":"{{{c.AdminProjectId}}}"}}"""),
            FuzzSeed.Get("/v2.0/tenants"), FuzzSeed.Get($"/v2.0/tokens/{c.AdminToken}"), FuzzSeed.Get("/v2.0/users"), FuzzSeed.Get("/v2.0/extensions"),
            FuzzSeed.Get("/v3/users?limit=2&name=fuzzuser"), FuzzSeed.Get($"/v3/users/{c.UserId}"), FuzzSeed.Get($"/v3/users/{c.UserId}/projects"),
            FuzzSeed.Get($"/v3/users/{c.UserId}/groups"), FuzzSeed.Json("PATCH", $"/v3/users/{c.UserId}", """{"user":{"description":"fuzzed","email":"a@b"}}"""),
            FuzzSeed.Json("POST", "/v3/users", """{"user":{"name":"made-by-fuzz","domain_id":"default","password":"pw","enabled":true}}"""),
            FuzzSeed.Json("POST", $"/v3/users/{Unknown}/password", """{"user":{"password":"new","original_password":"old"}}"""),
            FuzzSeed.Get("/v3/projects?domain_id=default"), FuzzSeed.Get($"/v3/projects/{c.ProjectId}"), FuzzSeed.Get($"/v3/projects/{c.ProjectId}/tags"),
            FuzzSeed.Json("PATCH", $"/v3/projects/{c.ProjectId}", """{"project":{"description":"fuzzed","tags":["a","b"]}}"""),
            FuzzSeed.Json("POST", "/v3/projects", """{"project":{"name":"made-by-fuzz","domain_id":"default","enabled":true,"parent_id":null}}"""),
            FuzzSeed.Get("/v3/domains"), FuzzSeed.Get("/v3/domains/default"), FuzzSeed.Json("POST", "/v3/domains", """{"domain":{"name":"fuzzdomain","enabled":false}}"""),
            FuzzSeed.Json("PATCH", $"/v3/domains/{Unknown}", """{"domain":{"description":"x"}}"""),
            FuzzSeed.Get("/v3/groups"), FuzzSeed.Json("POST", "/v3/groups", """{"group":{"name":"fuzzgroup","domain_id":"default"}}"""),
            FuzzSeed.Get($"/v3/groups/{Unknown}"), FuzzSeed.Get($"/v3/groups/{Unknown}/users"), new("PUT", $"/v3/groups/{Unknown}/users/{c.UserId}"),
            new("HEAD", $"/v3/groups/{Unknown}/users/{c.UserId}"),
            FuzzSeed.Get("/v3/roles"), FuzzSeed.Get($"/v3/roles/{Unknown}"), FuzzSeed.Json("POST", "/v3/roles", """{"role":{"name":"fuzzrole"}}"""),
            FuzzSeed.Get($"/v3/roles/{Unknown}/implies"), new("PUT", $"/v3/roles/{Unknown}/implies/{Unknown}"), FuzzSeed.Get("/v3/role_inferences"),
            FuzzSeed.Get($"/v3/role_assignments?user.id={c.UserId}&effective&include_names=true"),
            new("PUT", $"/v3/projects/{c.ProjectId}/users/{c.UserId}/roles/{Unknown}"),
            FuzzSeed.Get("/v3/credentials"), FuzzSeed.Get($"/v3/credentials/{Unknown}"),
            FuzzSeed.Json("POST", "/v3/credentials", $$$"""{"credential":{"type":"ec2","user_id":"{{{c.UserId}}}","project_id":"{{{c.ProjectId}}}","blob":"{\"access\":\"a\",\"secret\":\"s\"}"}}"""),
            FuzzSeed.Get($"/v3/users/{c.UserId}/credentials/OS-EC2"),
            FuzzSeed.Json("POST", $"/v3/users/{c.UserId}/credentials/OS-EC2", $$$"""{"tenant_id":"{{{c.ProjectId}}}"}"""),
            FuzzSeed.Get($"/v3/users/{c.UserId}/application_credentials"),
            FuzzSeed.Json("POST", $"/v3/users/{c.UserId}/application_credentials", """{"application_credential":{"name":"fuzzapp","roles":[{"name":"member"}],"expires_at":"2099-01-01T00:00:00","access_rules":[{"service":"compute","method":"GET","path":"/v2.1/servers"}]}}"""),
            FuzzSeed.Get($"/v3/users/{c.UserId}/access_rules"),
            FuzzSeed.Json("POST", "/v3/ec2tokens", """{"credentials":{"access":"a","host":"h","verb":"GET","path":"/","params":{"SignatureVersion":"2"},"signature":"x"}}"""),
        ];
    }

    public static IReadOnlyList<FuzzSeed> Compute(FuzzCloud c)
    {
        var s = $"/v2.1/servers/{c.ServerId}";
        var action = (string body) => FuzzSeed.Json("POST", $"{s}/action", body);
        return
        [
            FuzzSeed.Get("/"), FuzzSeed.Get("/v2.1"), FuzzSeed.Get("/v2.1/extensions"), FuzzSeed.Get("/v2.1/limits"),
            FuzzSeed.Get("/v2.1/servers?limit=1&name=fuzz&status=ACTIVE"), FuzzSeed.Get("/v2.1/servers/detail?all_tenants=1&sort_key=display_name&sort_dir=asc"),
            FuzzSeed.Get(s), FuzzSeed.Get($"{s}/ips"), FuzzSeed.Get($"{s}/ips/private"), FuzzSeed.Get($"{s}/metadata"), FuzzSeed.Get($"{s}/metadata/role"),
            FuzzSeed.Json("PUT", s, """{"server":{"name":"fuzz-witness","description":"fuzzed"}}"""),
            FuzzSeed.Json("POST", $"{s}/metadata", """{"metadata":{"k":"v"}}"""), FuzzSeed.Json("PUT", $"{s}/metadata/k", """{"meta":{"k":"v2"}}"""),
            FuzzSeed.Json("PUT", $"{s}/metadata", """{"metadata":{"role":"witness"}}"""),
            FuzzSeed.Get($"{s}/tags"), FuzzSeed.Json("PUT", $"{s}/tags", """{"tags":["a","b"]}"""), new("PUT", $"{s}/tags/t1"), FuzzSeed.Get($"{s}/tags/t1"),
            FuzzSeed.Get($"{s}/os-instance-actions"), FuzzSeed.Get($"{s}/os-instance-actions/req-{Unknown}"), FuzzSeed.Get($"{s}/os-volume_attachments"),
            FuzzSeed.Json("POST", $"{s}/os-volume_attachments", $$$"""{"volumeAttachment":{"volumeId":"{{{Unknown}}}","device":"/dev/vdb"}}"""),
            FuzzSeed.Get($"{s}/os-volume_attachments/{Unknown}"), FuzzSeed.Get($"{s}/migrations"), FuzzSeed.Get($"{s}/os-security-groups"),
            FuzzSeed.Get($"{s}/diagnostics"), FuzzSeed.Get($"{s}/os-interface"), FuzzSeed.Get($"{s}/remote-consoles"),
            action("""{"reboot":{"type":"SOFT"}}"""), action("""{"os-getConsoleOutput":{"length":10}}"""), action("""{"lock":{"locked_reason":"x"}}"""),
            action("""{"unlock":null}"""), action("""{"addSecurityGroup":{"name":"default"}}"""), action("""{"removeSecurityGroup":{"name":"nope"}}"""),
            action("""{"createImage":{"name":"fuzz-snap","metadata":{"a":"b"}}}"""), action("""{"resize":{"flavorRef":"2","OS-DCF:diskConfig":"AUTO"}}"""),
            action("""{"confirmResize":null}"""), action("""{"revertResize":null}"""), action("""{"pause":null}"""), action("""{"unpause":null}"""),
            action("""{"suspend":null}"""), action("""{"resume":null}"""), action("""{"os-stop":null}"""), action("""{"os-start":null}"""),
            action("""{"rescue":{"adminPass":"x","rescue_image_ref":"none"}}"""), action("""{"unrescue":null}"""), action("""{"shelve":null}"""),
            action("""{"unshelve":{"availability_zone":"nova"}}"""), action("""{"os-resetState":{"state":"active"}}"""), action("""{"changePassword":{"adminPass":"p"}}"""),
            action("""{"rebuild":{"imageRef":"IMAGE","name":"fuzz-witness","metadata":{"role":"witness"}}}""".Replace("IMAGE", c.ImageId, StringComparison.Ordinal)),
            action("""{"migrate":{"host":"fuzzhost"}}"""), action("""{"os-migrateLive":{"host":null,"block_migration":"auto"}}"""), action("""{"evacuate":{}}"""),
            action("""{"addFloatingIp":{"address":"10.0.0.1"}}"""), action("""{"os-getVNCConsole":{"type":"novnc"}}"""), action("""{"trigger_crash_dump":null}"""),
            action("""{"createBackup":{"name":"b","backup_type":"daily","rotation":1}}"""), action("""{"injectNetworkInfo":null}"""),
            FuzzSeed.Json("POST", "/v2.1/servers", $$$"""{"server":{"name":"fuzz-new","imageRef":"{{{c.ImageId}}}","flavorRef":"1","min_count":1,"max_count":1,"metadata":{"a":"b"},"key_name":"fuzzkey","security_groups":[{"name":"default"}],"user_data":"aGk=","networks":"auto","block_device_mapping_v2":[{"boot_index":0,"uuid":"{{{c.ImageId}}}","source_type":"image","destination_type":"local"}]},"os:scheduler_hints":{"group":"{{{Unknown}}}"}}"""),
            FuzzSeed.Get("/v2.1/flavors"), FuzzSeed.Get("/v2.1/flavors/detail?minRam=0&minDisk=0&is_public=None"), FuzzSeed.Get("/v2.1/flavors/1"),
            FuzzSeed.Get("/v2.1/flavors/1/os-extra_specs"), FuzzSeed.Get("/v2.1/flavors/1/os-extra_specs/hw:cpu_policy"), FuzzSeed.Get("/v2.1/flavors/1/os-flavor-access"),
            FuzzSeed.Json("POST", "/v2.1/flavors", """{"flavor":{"name":"fuzzflavor","ram":64,"vcpus":1,"disk":1,"id":null,"swap":0,"rxtx_factor":1.0,"os-flavor-access:is_public":true}}"""),
            FuzzSeed.Json("PUT", "/v2.1/flavors/1", """{"flavor":{"description":"d"}}"""),
            FuzzSeed.Json("POST", "/v2.1/flavors/1/os-extra_specs", """{"extra_specs":{"hw:cpu_policy":"shared"}}"""),
            FuzzSeed.Json("PUT", "/v2.1/flavors/1/os-extra_specs/hw:cpu_policy", """{"hw:cpu_policy":"shared"}"""),
            FuzzSeed.Json("POST", "/v2.1/flavors/1/action", $$$"""{"addTenantAccess":{"tenant":"{{{c.ProjectId}}}"}}"""),
            FuzzSeed.Get("/v2.1/images"), FuzzSeed.Get("/v2.1/images/detail"), FuzzSeed.Get($"/v2.1/images/{c.ImageId}"),
            FuzzSeed.Get("/v2.1/os-keypairs"), FuzzSeed.Get("/v2.1/os-keypairs/fuzzkey"), FuzzSeed.Json("POST", "/v2.1/os-keypairs", """{"keypair":{"name":"fuzz-made","type":"ssh"}}"""),
            FuzzSeed.Get("/v2.1/os-security-groups"), FuzzSeed.Get($"/v2.1/os-security-groups/{Unknown}"),
            FuzzSeed.Json("POST", "/v2.1/os-security-groups", """{"security_group":{"name":"fuzzgroup","description":"d"}}"""),
            FuzzSeed.Json("PUT", $"/v2.1/os-security-groups/{Unknown}", """{"security_group":{"name":"n","description":"d"}}"""),
            FuzzSeed.Json("POST", "/v2.1/os-security-group-rules", $$$"""{"security_group_rule":{"parent_group_id":"{{{Unknown}}}","ip_protocol":"tcp","from_port":22,"to_port":22,"cidr":"0.0.0.0/0"}}"""),
            FuzzSeed.Get("/v2.1/os-server-groups"), FuzzSeed.Get($"/v2.1/os-server-groups/{Unknown}"),
            FuzzSeed.Json("POST", "/v2.1/os-server-groups", """{"server_group":{"name":"g","policies":["anti-affinity"]}}"""),
            FuzzSeed.Get("/v2.1/os-volumes"), FuzzSeed.Get("/v2.1/os-volumes/detail"), FuzzSeed.Get($"/v2.1/os-volumes/{c.VolumeId}"),
            FuzzSeed.Json("POST", "/v2.1/os-volumes", """{"volume":{"size":1,"display_name":"v","availability_zone":"nova","metadata":{}}}"""),
            FuzzSeed.Get("/v2.1/os-snapshots"), FuzzSeed.Get("/v2.1/os-snapshots/detail"), FuzzSeed.Get($"/v2.1/os-snapshots/{Unknown}"),
            FuzzSeed.Json("POST", "/v2.1/os-snapshots", $$$"""{"snapshot":{"volume_id":"{{{c.VolumeId}}}","force":false,"display_name":"s"}}"""),
            FuzzSeed.Get("/v2.1/os-floating-ips"), FuzzSeed.Get("/v2.1/os-floating-ip-pools"), FuzzSeed.Get("/v2.1/os-floating-ips/1"),
            FuzzSeed.Json("POST", "/v2.1/os-floating-ips", """{"pool":"nova"}"""),
            FuzzSeed.Get("/v2.1/os-availability-zone"), FuzzSeed.Get("/v2.1/os-availability-zone/detail"),
            FuzzSeed.Get("/v2.1/os-hypervisors"), FuzzSeed.Get("/v2.1/os-hypervisors/detail"), FuzzSeed.Get("/v2.1/os-hypervisors/statistics"),
            FuzzSeed.Get("/v2.1/os-hypervisors/1"), FuzzSeed.Get("/v2.1/os-hypervisors/1/uptime"), FuzzSeed.Get("/v2.1/os-hypervisors/fuzz/search"),
            FuzzSeed.Get("/v2.1/os-hypervisors/fuzz/servers"), FuzzSeed.Get("/v2.1/os-services?binary=nova-compute&host=fuzzhost"),
            FuzzSeed.Json("PUT", $"/v2.1/os-services/{Unknown}", """{"status":"enabled"}"""),
            FuzzSeed.Get("/v2.1/os-aggregates"), FuzzSeed.Get("/v2.1/os-aggregates/1"),
            FuzzSeed.Json("POST", "/v2.1/os-aggregates", """{"aggregate":{"name":"agg","availability_zone":null}}"""),
            FuzzSeed.Json("POST", "/v2.1/os-aggregates/1/action", """{"add_host":{"host":"fuzzhost"}}"""),
            FuzzSeed.Get("/v2.1/os-migrations?limit=1"), FuzzSeed.Get($"/v2.1/os-simple-tenant-usage?start=2020-01-01T00:00:00&end=2099-01-01T00:00:00&detailed=1"),
            FuzzSeed.Get($"/v2.1/os-simple-tenant-usage/{c.AdminProjectId}"),
            FuzzSeed.Get($"/v2.1/os-quota-sets/{c.ProjectId}"), FuzzSeed.Get($"/v2.1/os-quota-sets/{c.ProjectId}/defaults"), FuzzSeed.Get($"/v2.1/os-quota-sets/{c.ProjectId}/detail"),
            FuzzSeed.Json("PUT", $"/v2.1/os-quota-sets/{c.ProjectId}", """{"quota_set":{"instances":20,"cores":40,"force":true}}"""),
            FuzzSeed.Get("/v2.1/os-quota-class-sets/default"), FuzzSeed.Json("PUT", "/v2.1/os-quota-class-sets/default", """{"quota_class_set":{"ram":51200}}"""),
            FuzzSeed.Get("/v2.1/os-networks"), FuzzSeed.Get("/v2.1/os-tenant-networks"), FuzzSeed.Get("/v2.1/os-baremetal-nodes"),
        ];
    }

    public static IReadOnlyList<FuzzSeed> GlanceV2(FuzzCloud c)
    {
        var i = $"/v2/images/{c.QueuedImageId}";
        return
        [
            FuzzSeed.Get("/"), FuzzSeed.Get("/versions"), FuzzSeed.Get("/v2/images?limit=2&visibility=public&sort=name:asc&status=active&member_status=all"),
            FuzzSeed.Get($"/v2/images/{c.ImageId}"), FuzzSeed.Get($"/v2/images/{c.ImageId}/file"), FuzzSeed.Get(i),
            FuzzSeed.Json("POST", "/v2/images", """{"name":"fuzz-made","container_format":"bare","disk_format":"raw","visibility":"private","tags":["a"],"min_disk":0,"min_ram":0,"protected":false,"prop":"v"}"""),
            new("PATCH", i, """[{"op":"replace","path":"/name","value":"fuzz-queued"},{"op":"add","path":"/prop","value":"v"},{"op":"remove","path":"/nothing"}]""", "application/openstack-images-v2.1-json-patch"),
            new("PUT", $"/v2/images/{c.QueuedImageId}/file", "bytes", "application/octet-stream"), new("PUT", $"/v2/images/{c.QueuedImageId}/stage", "bytes", "application/octet-stream"),
            FuzzSeed.Json("POST", $"{i}/import", """{"method":{"name":"web-download","uri":"http://127.0.0.1:1/x"},"stores":["file"],"all_stores_must_succeed":false}"""),
            new("POST", $"/v2/images/{c.ImageId}/actions/deactivate"), new("POST", $"/v2/images/{c.ImageId}/actions/reactivate"),
            new("PUT", $"{i}/tags/t1"), FuzzSeed.Get($"{i}/members"), FuzzSeed.Json("POST", $"{i}/members", $$$"""{"member":"{{{c.ProjectId}}}"}"""),
            FuzzSeed.Get($"{i}/members/{c.ProjectId}"), FuzzSeed.Json("PUT", $"{i}/members/{c.ProjectId}", """{"status":"accepted"}"""),
            FuzzSeed.Get($"{i}/tasks"), FuzzSeed.Get("/v2/tasks"), FuzzSeed.Get($"/v2/tasks/{Unknown}"),
            FuzzSeed.Json("POST", "/v2/tasks", """{"type":"import","input":{"import_from":"http://127.0.0.1:1/x","import_from_format":"raw","image_properties":{"name":"t"}}}"""),
            FuzzSeed.Get("/v2/info/import"), FuzzSeed.Get("/v2/info/stores"), FuzzSeed.Get("/v2/info/stores/detail"), FuzzSeed.Get("/v2/info/usage"),
            FuzzSeed.Get("/v2/metadefs/resource_types"), FuzzSeed.Get("/v2/metadefs/namespaces"), FuzzSeed.Get("/v2/metadefs/namespaces/OS::Compute::Libvirt"),
            FuzzSeed.Get("/v2/schemas/image"), FuzzSeed.Get("/v2/schemas/images"),
        ];
    }

    public static IReadOnlyList<FuzzSeed> GlanceV1(FuzzCloud c)
    {
        var i = $"/v1/images/{c.QueuedImageId}";
        (string, string)[] meta = [("x-image-meta-name", "fuzz-v1"), ("x-image-meta-disk_format", "raw"), ("x-image-meta-container_format", "bare"),
            ("x-image-meta-is_public", "false"), ("x-image-meta-property-kernel_id", "none"), ("x-image-meta-min_ram", "0")];
        return
        [
            FuzzSeed.Get("/v1/images?limit=2&sort_key=name&sort_dir=asc&is_public=None"), FuzzSeed.Get("/v1/images/detail?name=ttylinux&size_min=0&changes-since=2000-01-01T00:00:00"),
            FuzzSeed.Get($"/v1/images/{c.ImageId}"), new("HEAD", $"/v1/images/{c.ImageId}"), FuzzSeed.Get(i),
            new("POST", "/v1/images", Headers: meta), new("POST", "/v1/images", "raw image bytes", "application/octet-stream", meta),
            new("PUT", i, Headers: [("x-image-meta-property-fuzz", "v"), ("x-image-meta-name", "fuzz-queued")]),
            new("PUT", $"/v1/images/{Unknown}", "data", "application/octet-stream"),
            FuzzSeed.Get($"{i}/members"), new("PUT", $"{i}/members/{c.ProjectId}"), FuzzSeed.Json("PUT", $"{i}/members", $$$"""{"memberships":[{"member_id":"{{{c.ProjectId}}}","can_share":false}]}"""),
            FuzzSeed.Get($"/v1/shared-images/{c.ProjectId}"),
        ];
    }

    public static IReadOnlyList<FuzzSeed> Swift() =>
    [
        FuzzSeed.Get("/info"), FuzzSeed.Get("/healthcheck"), new("GET", "/auth/v1.0", Headers: [("X-Auth-User", FuzzCloud.SwiftUser), ("X-Auth-Key", FuzzCloud.SwiftKey)]),
        FuzzSeed.Get("/v1/AUTH_fuzz?format=json&limit=2&prefix=b&marker=a&end_marker=z"), new("HEAD", "/v1/AUTH_fuzz"), new("POST", "/v1/AUTH_fuzz", Headers: [("X-Account-Meta-Color", "blue")]),
        FuzzSeed.Get("/v1/AUTH_fuzz/box?format=json&delimiter=/&prefix=o&limit=10&reverse=false"), new("HEAD", "/v1/AUTH_fuzz/box"),
        new("POST", "/v1/AUTH_fuzz/box", Headers: [("X-Container-Meta-Color", "blue"), ("X-Container-Read", ".r:*")]),
        new("PUT", "/v1/AUTH_fuzz/made", Headers: [("X-Storage-Policy", "Policy-0")]),
        FuzzSeed.Get("/v1/AUTH_fuzz/box/obj"), new("HEAD", "/v1/AUTH_fuzz/box/obj"), new("GET", "/v1/AUTH_fuzz/box/obj", Headers: [("Range", "bytes=1-3")]),
        new("PUT", "/v1/AUTH_fuzz/box/made", "payload", "text/plain", [("X-Object-Meta-A", "b"), ("ETag", "321c3cf486ed509164edec1e1981fec8")]),
        new("PUT", "/v1/AUTH_fuzz/box/manifest", "", null, [("X-Object-Manifest", "box/seg")]),
        new("PUT", "/v1/AUTH_fuzz/box/slo?multipart-manifest=put", """[{"path":"/box/obj","etag":null,"size_bytes":null}]""", "application/json"),
        new("PUT", "/v1/AUTH_fuzz/box/link", "", null, [("X-Symlink-Target", "box/obj")]),
        new("PUT", "/v1/AUTH_fuzz/box/copy", "", null, [("X-Copy-From", "/box/obj")]),
        new("COPY", "/v1/AUTH_fuzz/box/obj", Headers: [("Destination", "/box/copied")]),
        new("POST", "/v1/AUTH_fuzz/box/obj", Headers: [("X-Object-Meta-Color", "blue"), ("X-Delete-After", "99999")]),
        new("POST", "/v1/AUTH_fuzz?bulk-delete", "/box/nothing\n", "text/plain"),
        new("PUT", "/v1/AUTH_fuzz/box?extract-archive=tar", "not a tar", "application/x-tar"),
        FuzzSeed.Get("/v1/AUTH_fuzz/box/obj?temp_url_sig=abc&temp_url_expires=99999999999"),
        new("OPTIONS", "/v1/AUTH_fuzz/box/obj", Headers: [("Origin", "http://x"), ("Access-Control-Request-Method", "GET")]),
    ];

    public static IReadOnlyList<FuzzSeed> Metadata() =>
    [
        FuzzSeed.Get("/"), FuzzSeed.Get("/latest"), FuzzSeed.Get("/latest/meta-data/"), FuzzSeed.Get("/latest/meta-data/instance-id"),
        FuzzSeed.Get("/latest/meta-data/public-keys/"), FuzzSeed.Get("/latest/meta-data/public-keys/0/openssh-key"), FuzzSeed.Get("/latest/meta-data/block-device-mapping/root"),
        FuzzSeed.Get("/latest/meta-data/placement/availability-zone"), FuzzSeed.Get("/latest/user-data"), FuzzSeed.Get("/2009-04-04/meta-data/hostname"),
        FuzzSeed.Get("/1.0/meta-data/local-ipv4"), FuzzSeed.Get("/openstack"), FuzzSeed.Get("/openstack/latest/meta_data.json"),
        FuzzSeed.Get("/openstack/latest/network_data.json"), FuzzSeed.Get("/openstack/latest/vendor_data.json"), FuzzSeed.Get("/openstack/2012-08-10/user_data"),
        FuzzSeed.Json("POST", "/openstack/latest/password", "secret-password"),
    ];

    /// <summary>EC2 actions as query strings (unsigned): <see cref="FuzzEc2Signer"/> signs each case after mutation.</summary>
    public static IReadOnlyList<FuzzSeed> Ec2(FuzzCloud c)
    {
        var instance = c.Ec2InstanceId;
        string[] actions =
        [
            "DescribeRegions", "DescribeAvailabilityZones&ZoneName.1=nova", $"DescribeInstances&InstanceId.1={instance}&Filter.1.Name=instance-state-name&Filter.1.Value.1=running",
            "DescribeImages&Owner.1=self&ExecutableBy.1=all", "DescribeKeyPairs&KeyName.1=fuzzkey", "DescribeSecurityGroups&GroupName.1=default",
            "DescribeVolumes", "DescribeSnapshots", "DescribeAddresses", $"GetConsoleOutput&InstanceId={instance}",
            $"RebootInstances&InstanceId.1={instance}", $"StartInstances&InstanceId.1={instance}", "StopInstances&InstanceId.1=i-00000fff",
            "TerminateInstances&InstanceId.1=i-00000fff",
            "RunInstances&ImageId=ami-00000001&MinCount=1&MaxCount=1&InstanceType=m1.tiny&KeyName=fuzzkey&SecurityGroup.1=default&UserData=aGk%3D&Placement.AvailabilityZone=nova",
            "CreateKeyPair&KeyName=fuzz-ec2", "ImportKeyPair&KeyName=fuzz-imp&PublicKeyMaterial=c3NoLXJzYSBBQUFB", "DeleteKeyPair&KeyName=nothing",
            "CreateSecurityGroup&GroupName=fuzzsg&GroupDescription=d", "DeleteSecurityGroup&GroupName=nothing",
            "AuthorizeSecurityGroupIngress&GroupName=default&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=22&IpPermissions.1.ToPort=22&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0",
            "RevokeSecurityGroupIngress&GroupName=default&IpProtocol=tcp&FromPort=1&ToPort=2&CidrIp=10.0.0.0%2F8",
            "CreateVolume&Size=1&AvailabilityZone=nova", "DeleteVolume&VolumeId=vol-00000fff", $"AttachVolume&VolumeId=vol-00000fff&InstanceId={instance}&Device=%2Fdev%2Fvdc",
            "DetachVolume&VolumeId=vol-00000fff", "CreateSnapshot&VolumeId=vol-00000fff&Description=d", "DeleteSnapshot&SnapshotId=snap-00000fff",
            "AllocateAddress", "ReleaseAddress&PublicIp=10.9.9.9", $"AssociateAddress&InstanceId={instance}&PublicIp=10.9.9.9", "DisassociateAddress&PublicIp=10.9.9.9",
            "RegisterImage&ImageLocation=bucket%2Fimage.manifest.xml&Name=n", "DeregisterImage&ImageId=ami-00000fff", "NoSuchAction",
        ];
        return [.. actions.Select(a => new FuzzSeed("POST", $"/services/Cloud?Action={a}&Version=2009-04-04"))];
    }
}
