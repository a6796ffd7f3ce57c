using System.Net.Sockets;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>Sorts RabbitMQ failures into "the connection or channel went away" and "the broker said no".</summary>
internal static class AmqpErrors
{
    /// <summary>
    /// True when the operation may succeed on a new channel or connection (and so must be retried rather than
    /// lost); false for cancellation and for refusals such as a queue declared with other arguments.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        OperationCanceledException => false,
        // Checked before its base class: whatever closed the channel, a new one can take the operation.
        AlreadyClosedException => true,
        OperationInterruptedException interrupted => !IsRefusal(interrupted.ShutdownReason),
        // A nack: the broker could not take the message just now.
        PublishException => true,
        IOException or SocketException or ObjectDisposedException or TimeoutException => true,
        _ => false,
    };

    /// <summary>access-refused, not-found, precondition-failed: retrying the same request cannot help.</summary>
    private static bool IsRefusal(ShutdownEventArgs? reason) =>
        reason is { Initiator: ShutdownInitiator.Peer, ReplyCode: 403 or 404 or 406 };

    public static string Describe(ShutdownEventArgs reason) => $"{reason.ReplyCode} {reason.ReplyText}";
}
