namespace Dealwire.ReadModel.History;

/// <summary>A login's group and money currency as last seen on the stream: the store's own directory for group-mask queries.</summary>
public sealed record HistoryAccount(long Login, string Group, string Currency, int Leverage, bool Deleted, long Sequence);

/// <summary>An account's figures at a rollover (one row per login and trading day), from <c>EndOfDayEvent</c>.</summary>
public sealed record EndOfDayRow(
    DateOnly Day, long Login, long RolloverTime, bool MonthEnd, string Currency,
    decimal Balance, decimal Credit, decimal Equity, decimal Margin, decimal FreeMargin, decimal Profit, long Sequence);

/// <summary>
/// One manager/admin command: who, what (the command's journal JSON), and what it changed (the records of the events
/// it produced, JSON). <see cref="Source"/> is the caller's network address when the gateway recorded one (null today).
/// </summary>
public sealed record AuditRow(long Sequence, long Time, string Actor, string? Source, string Command, string Payload, string? After);

/// <summary>
/// An <see cref="AuditRow"/> on its way into the store: the same columns, with the payload and "after" images as the
/// UTF-8 JSON the serializer wrote (the store keeps UTF-8 text, so no UTF-16 copy is made on the way).
/// </summary>
public sealed record AuditEntry(long Sequence, long Time, string Actor, string? Source, string Command, byte[] Payload, byte[]? After);

/// <summary>A bid candle of one timeframe; <see cref="Time"/> is the period's start, Unix ms.</summary>
public sealed record Candle(string Symbol, int Timeframe, long Time, decimal Open, decimal High, decimal Low, decimal Close, long Ticks);
