using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.History;

/// <summary>
/// Reads of the history store (SQLite by default, PostgreSQL in production): closed deals, cancelled orders,
/// finance records and the ledger, as projected from the committed stream. Never touches the engine thread.
/// </summary>
public interface IHistoryReader
{
    /// <summary>Last stream sequence stored (committed in the same transaction as the rows).</summary>
    long AppliedSequence { get; }

    /// <summary>Completes when <see cref="AppliedSequence"/> ≥ <paramref name="sequence"/> (read-your-writes).</summary>
    ValueTask WaitForAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>Closed deals, cancelled/expired orders and finance records, ordered by (close time, ticket).</summary>
    Task<HistoryPage<TradeRecord>> GetTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Ledger entries (balance and credit movements), ordered by (time, id).</summary>
    Task<HistoryPage<LedgerEntry>> GetLedgerAsync(HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>A closed deal, cancelled order or finance record by ticket, in its latest state (edits, deletion); null when none.</summary>
    Task<TradeRecord?> FindTradeAsync(long ticket, CancellationToken cancellationToken = default);

    Task<LedgerEntry?> FindLedgerEntryAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>How many rows <see cref="GetTradesAsync"/> would return without paging (the protocols' <c>count</c>/<c>total</c>).</summary>
    Task<long> CountTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Which records a history query returns.</summary>
[Flags]
public enum HistoryKinds
{
    /// <summary>Closed market deals.</summary>
    Deals = 1,
    /// <summary>Cancelled, expired or refused pending orders.</summary>
    Orders = 2,
    /// <summary>Balance, credit and other finance records.</summary>
    Finance = 4,
    All = Deals | Orders | Finance,
}

/// <summary>
/// A history query: one login or a group mask, a time range (Unix ms, inclusive), and either offset paging
/// (the protocols' <c>limit/offset</c>) or keyset paging (<see cref="After"/>, stable while new rows arrive).
/// </summary>
public sealed record HistoryQuery
{
    public long? Login { get; init; }
    public GroupMask Mask { get; init; } = GroupMask.All;
    public long From { get; init; }
    public long To { get; init; } = long.MaxValue;
    public HistoryKinds Kinds { get; init; } = HistoryKinds.All;
    public bool IncludeDeleted { get; init; }
    public int Limit { get; init; } = 1000;
    public int Offset { get; init; }
    public HistoryCursor? After { get; init; }
    public bool NewestFirst { get; init; }
}

/// <summary>Position after the last row of a page: its sort time and its ticket (or ledger id).</summary>
public readonly record struct HistoryCursor(long Time, long Id)
{
    /// <summary>The wire form of the keyset paging extension: <c>"&lt;time&gt;:&lt;id&gt;"</c> (docs/history.md).</summary>
    public string Format() => $"{Time}:{Id}";

    public static bool TryParse(string? text, out HistoryCursor cursor)
    {
        cursor = default;
        var colon = text?.IndexOf(':') ?? -1;
        if (colon <= 0) return false;
        if (!long.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var time)
            || !long.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }
        cursor = new HistoryCursor(time, id);
        return true;
    }
}

/// <summary>A page of rows and the cursor to pass for the next page (null at the end).</summary>
public sealed record HistoryPage<T>(IReadOnlyList<T> Rows, HistoryCursor? Next);
