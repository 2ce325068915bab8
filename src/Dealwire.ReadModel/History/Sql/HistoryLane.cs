namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// The two halves of the history store, each with its own row in <c>projector_state</c> (the row's id is the lane's
/// value). On PostgreSQL they are written on two connections at once (<see cref="HistoryOptions.Lanes"/>): one database
/// backend works through a transaction alone, so one connection leaves the second core idle (docs/performance.md,
/// "Round 2 session 19"). Each lane is exactly-once by itself: its transaction moves its own row; a crash between the
/// two commits leaves one lane ahead, and the projector then ends its next run where that lane stands
/// (<see cref="IHistoryStore.LeadingSequence"/>), so neither lane ever gets a run it half holds.
/// </summary>
internal enum HistoryLane
{
    /// <summary>Deals, orders, the login directory (<c>accounts</c>) and end-of-day rows.</summary>
    Trades = 1,

    /// <summary>The ledger, the audit log, candles and ticks.</summary>
    Ledger = 2,
}
