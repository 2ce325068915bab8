using Dealwire.Engine.Model;

namespace Dealwire.Engine.Events;

/// <summary>
/// A trading day ended at the rollover <see cref="RolloverTime"/> (Unix ms): every account's figures at that
/// instant, in login order, for end-of-day statements. <see cref="MonthEnd"/> when <see cref="Day"/> was the
/// last day of its month. Balances in the figures are the new previous-day (and previous-month) balances.
/// </summary>
public sealed record EndOfDayEvent(DateOnly Day, long RolloverTime, bool MonthEnd, IReadOnlyList<MarginSnapshot> Accounts) : EngineEvent;
