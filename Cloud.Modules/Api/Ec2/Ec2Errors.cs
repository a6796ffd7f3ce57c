using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// The cloud's refusals in EC2's words. Each action names the code a missing or duplicate thing gets
/// (<c>InvalidKeyPair.NotFound</c>, <c>InvalidGroup.Duplicate</c>); what is left maps by kind.
/// </summary>
public static class Ec2Errors
{
    public static async Task<T> Translate<T>(Task<T> task, string? notFound = null, string? conflict = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (CloudException e) when (CodeOf(e, notFound, conflict) is { } code)
        {
            throw new Ec2ActionException(code, e.Message);
        }
    }

    public static async Task Translate(Task task, string? notFound = null, string? conflict = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (CloudException e) when (CodeOf(e, notFound, conflict) is { } code)
        {
            throw new Ec2ActionException(code, e.Message);
        }
    }

    /// <summary>The EC2 code of a refusal no action translated itself.</summary>
    public static string Default(string action, CloudException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            CloudErrorKind.Forbidden when error.Message.StartsWith("Quota exceeded", StringComparison.Ordinal) =>
                action == "RunInstances" ? "InstanceLimitExceeded" : "ResourceLimitExceeded",
            CloudErrorKind.Forbidden => "UnauthorizedOperation",
            CloudErrorKind.Unauthorized => "AuthFailure",
            CloudErrorKind.Conflict => "IncorrectState",
            _ => "InvalidParameterValue",
        };
    }

    private static string? CodeOf(CloudException e, string? notFound, string? conflict) => e.Kind switch
    {
        CloudErrorKind.NotFound => notFound,
        CloudErrorKind.Conflict => conflict,
        _ => null,
    };
}
