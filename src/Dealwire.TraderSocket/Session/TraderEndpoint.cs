namespace Dealwire.TraderSocket.Session;

/// <summary>The spec's two endpoints: one for prices, one for trading operations, each on its own port.</summary>
public enum TraderEndpoint
{
    /// <summary><c>bid_ask</c> pushes.</summary>
    Prices,
    /// <summary><c>account_event</c>, <c>position</c> and <c>pending_position</c> pushes.</summary>
    Trading,
}
