using Dealwire.Gateway.Outbound;
using Dealwire.ManagerApi.Protocol;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// Concurrent requests. Most requests of one connection run at once (up to <c>MaxInFlightPerConnection</c>),
/// so a manager's trading commands share the journal's group commit instead of paying one fsync each;
/// their replies leave in request order (<see cref="ReplySequencer"/>): <c>message_response_id</c> lets a
/// client match them, but the spec never says a reply may overtake an earlier one, and clients written
/// against a one-at-a-time server may expect that. Requests that change what the connection is run alone,
/// after every earlier request has been answered and before any later one starts: <c>auth_request</c>
/// (the identity and layout of what follows), <c>subscribe</c> (its snapshot must precede the topic's
/// events, which bypass reply order), and anything sent before authentication (counted toward the flood limit).
/// </summary>
public sealed partial class ManagerSession
{
    private static readonly AsyncLocal<ReplySlot?> CurrentSlot = new();

    /// <summary>Whether <paramref name="message"/> must wait for every earlier request and hold back every later one.</summary>
    public bool MustRunAlone(InboundMessage message) =>
        !IsAuthenticated || (message.Kind == InboundKind.Request && message.Name is "auth_request" or "subscribe");

    /// <summary>Answers a request that runs beside others; its replies go through <paramref name="slot"/>, which it closes.</summary>
    public async Task HandleConcurrentAsync(InboundMessage message, ReplySlot slot)
    {
        CurrentSlot.Value = slot;
        try
        {
            await HandleAsync(message);
        }
        finally
        {
            CurrentSlot.Value = null;
            slot.Dispose();
        }
    }
}
