namespace Cloud.Tests.Support;

/// <summary>The other real Compute clients around a <see cref="ComputeApiCloud"/>: <c>nova</c> and openstacksdk scripts.</summary>
public static class NovaClients
{
    /// <summary>Runs <c>nova ...</c> (python-novaclient) as the user in their project.</summary>
    public static async Task<ToolRun> NovaCliAsync(this ComputeApiCloud cloud, string user, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var nova = ExternalTool.Require("/usr/bin/nova", "python3-novaclient");
        return await ExternalTool.RunAsync(nova, args, cloud.Home, environment: cloud.OpenStackEnvironment(user), timeout: TimeSpan.FromSeconds(90));
    }

    /// <summary>Runs a python script with <c>conn</c> an openstacksdk connection of the user.</summary>
    public static async Task<ToolRun> OpenstackSdkAsync(this ComputeApiCloud cloud, string user, string script)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var python = ExternalTool.Require("/usr/bin/python3", "python3-openstacksdk");
        const string prelude = """
            import os, openstack
            conn = openstack.connect(auth_url=os.environ['OS_AUTH_URL'], username=os.environ['OS_USERNAME'], password=os.environ['OS_PASSWORD'],
                project_name=os.environ['OS_PROJECT_NAME'], user_domain_name='Default', project_domain_name='Default', compute_api_version='2')

            """;
        return await ExternalTool.RunAsync(python, ["-c", prelude + script], cloud.Home, environment: cloud.OpenStackEnvironment(user), timeout: TimeSpan.FromSeconds(90));
    }
}
