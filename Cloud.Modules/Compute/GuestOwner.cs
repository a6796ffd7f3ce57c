namespace Cloud.Modules.Compute;

/// <summary>Who a guest named <c>instance-%08x</c> on this host belongs to, as <see cref="GuestReconciler"/> sees it.</summary>
public enum GuestOwner
{
    /// <summary>A live instance placed on this host.</summary>
    Here,

    /// <summary>An instance that is deleted.</summary>
    Deleted,

    /// <summary>No instance has that id (never committed, or from another cloud's database).</summary>
    Unknown,

    /// <summary>A live instance placed on another host (or on none), with no task under way.</summary>
    Elsewhere,

    /// <summary>A live instance of another host in the middle of a task (a resize defines its guest on the destination before the instance moves there): left alone.</summary>
    Moving,
}

/// <summary>Classifies a guest by its instance row.</summary>
public static class GuestOwners
{
    /// <param name="instance">The instance whose id the guest's name carries (deleted rows included), or null when there is none.</param>
    /// <param name="host">This compute host.</param>
    public static GuestOwner Of(Instance? instance, string host) => instance switch
    {
        null => GuestOwner.Unknown,
        { Deleted: true } => GuestOwner.Deleted,
        _ when instance.Host == host => GuestOwner.Here,
        { TaskState: not null } => GuestOwner.Moving,
        _ => GuestOwner.Elsewhere,
    };
}
