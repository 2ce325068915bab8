using Dealwire.Engine.Model;

namespace Dealwire.Engine.Events;

/// <summary>
/// Account figures as they stand at the end of a batch, derived by the runner (not by a command, so it is never
/// journaled and a replay does not produce it): the money of accounts a command in the batch touched, and
/// periodically of accounts that ticks re-valued, with those accounts' open positions (their floating profit).
/// It lets a projection keep equity, margin and floating profit without running an engine.
/// <see cref="PositionLogins"/> names the accounts whose every open position is in <see cref="Positions"/>
/// (ascending), so a consumer diffing positions per account can drop the tickets that are gone.
/// </summary>
public sealed record AccountFiguresEvent(IReadOnlyList<MarginSnapshot> Accounts, IReadOnlyList<TradeRecord> Positions, IReadOnlyList<long> PositionLogins) : EngineEvent
{
    internal void StampAt(long sequence, long time)
    {
        Sequence = sequence;
        Time = time;
    }
}
