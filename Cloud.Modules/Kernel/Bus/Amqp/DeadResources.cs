namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// Disposal of a connection or channel that is already dead, off the path that made it so. Disposing a channel
/// waits for its consumers' running handlers, and such a handler may be waiting for the very reconnect that
/// would be awaiting the disposal. Bounded by the handlers' own deadlines (casts, <c>rpc_cast_timeout</c>).
/// </summary>
internal static class DeadResources
{
    public static void DisposeInBackground(IAsyncDisposable dead) => _ = Task.Run(async () =>
    {
        try
        {
            await dead.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already dead, and nobody waits for this: whatever closing it says, there is nothing left to do with it.
        }
    });
}
