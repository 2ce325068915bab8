using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Pending-order expiration: good till cancelled, end of the server day (UTC) the order was placed or
/// last changed, or at a given time. A time-ordered index answers "anything due?" in O(log n) on every
/// tick and time command; nothing is scanned.
/// </summary>
public sealed partial class TradingEngine
{
    private const long DayMs = 86_400_000L;

    private readonly SortedSet<(long Time, long Ticket)> _expiries = new();
    private readonly Dictionary<long, long> _expiryOf = new();

    /// <summary>When an order stops being valid (Unix ms), or 0 when it never expires.</summary>
    internal static long ExpiryOf(Trade order) => order.ExpirationMode switch
    {
        ExpirationMode.AtTime => order.Expiration,
        ExpirationMode.EndOfDay => (FloorDiv(order.UpdateTime, DayMs) + 1) * DayMs,
        _ => 0,
    };

    private void RegisterExpiry(Trade order)
    {
        var time = ExpiryOf(order);
        if (time <= 0) return;
        _expiries.Add((time, order.Ticket));
        _expiryOf[order.Ticket] = time;
    }

    private void UnregisterExpiry(Trade order)
    {
        if (_expiryOf.Remove(order.Ticket, out var time)) _expiries.Remove((time, order.Ticket));
    }

    /// <summary>Deletes every order whose expiry is at or before engine time. True when any expired.</summary>
    private bool ProcessExpirations()
    {
        var any = false;
        while (_expiries.Count > 0)
        {
            var due = _expiries.Min;
            if (due.Time > Now) break;
            _expiries.Remove(due);
            _expiryOf.Remove(due.Ticket);
            if (_open.TryGetValue(due.Ticket, out var order) && order.Command.IsPending())
            {
                Retire(order, TradeState.Deleted, Activation.Expiration);
                any = true;
            }
        }
        return any;
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
