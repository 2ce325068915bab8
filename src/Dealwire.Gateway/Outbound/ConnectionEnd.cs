using Microsoft.AspNetCore.Connections;

namespace Dealwire.Gateway.Outbound;

/// <summary>How a connection whose reads have ended lets its queued frames go.</summary>
public static class ConnectionEnd
{
    /// <summary>How long what was queued may take to reach a client that still reads.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits for the connection's <paramref name="writer"/> to drain <paramref name="outbound"/> (already completed). A
    /// reader too slow for its queue is cut off at once instead (its writer may be stuck on a full socket), and so is one
    /// that has not taken the last frames within <see cref="DrainTimeout"/>. Returning then closes the socket gracefully.
    /// </summary>
    public static async Task DrainAsync(ConnectionContext connection, OutboundQueue outbound, Task writer, string reason)
    {
        if (outbound.OverflowReason is not null) connection.Abort(new ConnectionAbortedException(reason));
        try
        {
            await writer.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            connection.Abort(new ConnectionAbortedException("the last frames could not be written in time"));
        }
    }
}
