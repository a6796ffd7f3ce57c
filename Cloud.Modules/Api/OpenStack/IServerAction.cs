namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// One or more actions of <c>POST /servers/{id}/action</c> (<c>pause</c>, <c>resize</c>, <c>createImage</c>, ...), each in its own
/// class and registered with <c>services.AddSingleton&lt;IServerAction, XxxAction&gt;()</c>. The route reads the body, finds the
/// instance (404 for another project's) and hands over; an action that writes no response gets nova's empty 202.
/// </summary>
public interface IServerAction
{
    /// <summary>The body keys this class answers, e.g. <c>["pause", "unpause"]</c>.</summary>
    IReadOnlyList<string> Names { get; }

    Task ActAsync(ServerActionCall call);
}
