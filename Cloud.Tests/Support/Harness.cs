using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Cloud.Tests.Support;

/// <summary>Makes the harness a generic contract fixture runs on.</summary>
public static class Harness
{
    /// <summary>
    /// <c>new T()</c>, with what the constructor threw rethrown as itself: the generic <c>new()</c> goes through the
    /// activator, which wraps it, and NUnit then counts a harness's "set CLOUD_TEST_MYSQL" ignore (a service missing on a
    /// developer's machine) as a failure and runs the test body anyway.
    /// </summary>
    public static T New<T>() where T : new()
    {
        try
        {
            return new T();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
