using System.Text.Json.Serialization;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The whole primary state of the engine as plain data: what a snapshot file holds. Derived figures
/// (floating profit, margin, equity) are not stored; they are recomputed from quotes on restore.
/// </summary>
public sealed record EngineSnapshot
{
    /// <summary>
    /// 1: written before the state hash was explicit (its <see cref="StateHash"/> was computed with configuration
    /// records as JSON, so it cannot be reproduced; a loader recomputes it). 2: explicit field-by-field hash
    /// (<see cref="TradingEngine.StateHashScheme"/>).
    /// </summary>
    public const int CurrentFormat = 2;

    public int FormatVersion { get; init; } = CurrentFormat;
    public long LastSequence { get; init; }
    public long Now { get; init; }
    public long NextTicket { get; init; }
    public long NextLogin { get; init; }
    public long NextLedgerId { get; init; }
    public long LastRolloverDay { get; init; }
    public EngineSettings Settings { get; init; } = new();
    public List<SymbolGroupConfig> SymbolGroups { get; init; } = [];
    public List<SymbolConfig> Symbols { get; init; } = [];
    public List<GroupConfig> Groups { get; init; } = [];
    public List<SymbolQuote> Quotes { get; init; } = [];
    public List<AccountBalance> Accounts { get; init; } = [];
    /// <summary>Open positions and pending orders.</summary>
    public List<TradeRecord> OpenTrades { get; init; } = [];
    /// <summary>
    /// Format 1 only: closed deals, cancelled orders and finance records. History is not engine state since
    /// format 2 (the history store holds it); a format-1 snapshot's is read to replay old journal commands.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<TradeRecord>? History { get; init; }
    /// <summary>Format 1 only: every ledger entry; restores the reversal guards and balance times (see <see cref="History"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<LedgerEntry>? Ledger { get; init; }
    /// <summary>States deleted deals had before deletion, so a restore brings them back as they were.</summary>
    public List<DeletedTrade> DeletedTrades { get; init; } = [];
    /// <summary>Ids of ledger entries already reversed (format 2; format 1 derives them from <see cref="Ledger"/>).</summary>
    public List<long> ReversedLedgerIds { get; init; } = [];
    /// <summary>Finance operations whose amount was corrected (AmendLedger), with their amount now.</summary>
    public List<AmendedFinance> AmendedFinance { get; init; } = [];

    /// <summary>CRM desks and customers, and the next ids to assign (absent in snapshots from before them).</summary>
    public List<DeskRecord> Desks { get; init; } = [];

    public List<CustomerRecord> Customers { get; init; } = [];

    public long NextDeskId { get; init; } = 1;

    public long NextCustomerId { get; init; } = 1;
    /// <summary>Live idempotency keys, oldest first, with their requests' fingerprints and original outcomes.</summary>
    public List<IdempotencyRecord> Idempotency { get; init; } = [];
    /// <summary>Accounts' balances at the last day and month end (prevbalance / prevmonthbalance); accounts with none are left out.</summary>
    public List<ClosingBalance> ClosingBalances { get; init; } = [];
    /// <summary>The state hash at the moment of the snapshot, to verify a restore.</summary>
    public string StateHash { get; init; } = "";
}

public sealed record AmendedFinance(long Ticket, decimal Amount);

public sealed record SymbolQuote(string Symbol, decimal Bid, decimal Ask, long Time);

public sealed record AccountBalance(AccountProfile Profile, decimal Balance, decimal Credit, MarginLevelType LevelType)
{
    /// <summary>Time of the account's last ledger entry (format 2; format 1 derives it from the ledger).</summary>
    public long BalanceTime { get; init; }
}

public sealed record DeletedTrade(long Ticket, TradeState StateBefore);

/// <summary>An account's balance at the last day end and month end, with the rollover times (Unix ms, 0 = none yet).</summary>
public sealed record ClosingBalance(long Login, decimal DayBalance, long DayClosedAt, decimal MonthBalance, long MonthClosedAt);
