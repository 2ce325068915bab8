using System.Data.Common;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History.Sql;
using Npgsql;

namespace Dealwire.ReadModel.History.PostgreSql;

/// <summary>
/// The production history store. Deals, orders, the ledger, the audit log and ticks go in with binary <c>COPY</c> (one
/// round trip for a whole run of batches), encoded by <see cref="PgCopyWriter"/>; a ticket written again (an
/// edited, deleted or restored deal) is removed in the same transaction first, so <c>COPY</c> stays a plain append
/// and a ticket keeps exactly one row. The two lanes (<see cref="HistoryLane"/>) write on two connections at once.
/// </summary>
internal sealed class PostgresHistoryStore(string connectionString, int lanes = 2) : SqlHistoryStore
{
    public static readonly HistorySchema.Types SqlTypes = new("bigint", "integer", "numeric", "text", "boolean", "date");

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    protected override HistorySchema.Types ColumnTypes => SqlTypes;

    protected override bool ConcurrentLanes => lanes > 1;

    protected override IEnumerable<string> Schema => HistorySchema.Statements(SqlTypes);

    protected override string Greatest => "GREATEST";

    protected override string Least => "LEAST";

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);

    protected override async Task WriteTradesAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        var c = (NpgsqlConnection)connection;
        var deals = new List<(TradeRecord, HistoryKinds, long)>();
        var orders = new List<(TradeRecord, HistoryKinds, long)>();
        foreach (var (t, seq) in changes.Trades)
        {
            var kind = HistoryChanges.KindOf(t)!.Value;
            (kind == HistoryKinds.Orders ? orders : deals).Add((t, kind, seq));
        }
        await CopyTradesAsync(c, "deals", deals, changes.Replaced, ct);
        await CopyTradesAsync(c, "orders", orders, changes.Replaced, ct);
    }

    protected override Task WriteLedgerAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Ledger.Count == 0) return Task.CompletedTask;
        using var w = PgCopyWriter.Begin((NpgsqlConnection)connection, "ledger", LedgerColumns.List);
        foreach (var (e, seq) in changes.Ledger)
        {
            w.StartRow(LedgerColumns.Count);
            w.Long(e.Id);
            w.Long(e.Login);
            w.Int((int)e.Kind);
            w.Money(e.Amount);
            w.Money(e.BalanceAfter);
            w.Money(e.CreditAfter);
            w.Long(e.Ticket);
            w.Text(e.Comment);
            w.Long(e.Time);
            w.Text(e.IdempotencyKey);
            w.Text(e.Reference);
            w.Text(e.Actor);
            w.Long(e.ReversesId);
            w.Long(seq);
        }
        w.Complete();
        return Task.CompletedTask;
    }

    /// <summary>Audit rows by binary COPY as well: under round-trip load every manager command brings one.</summary>
    protected override Task WriteAuditAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Audit.Count == 0) return Task.CompletedTask;
        using var w = PgCopyWriter.Begin((NpgsqlConnection)connection, "audit_log", AuditColumns.List);
        foreach (var a in changes.Audit)
        {
            w.StartRow(AuditColumns.Count);
            w.Long(a.Sequence);
            w.Long(a.Time);
            w.Text(a.Actor);
            w.Text(a.Source);
            w.Text(a.Command);
            w.Utf8(a.Payload);
            w.Utf8(a.After);
        }
        w.Complete();
        return Task.CompletedTask;
    }

    /// <summary>Ticks by binary COPY: every journaled tick is a row.</summary>
    protected override Task WriteTicksAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Ticks.Count == 0) return Task.CompletedTask;
        using var w = PgCopyWriter.Begin((NpgsqlConnection)connection, "ticks", TickColumns.List);
        foreach (var t in changes.Ticks)
        {
            w.StartRow(TickColumns.Count);
            w.Text(t.Symbol);
            w.Long(t.Time);
            w.Long(t.Sequence);
            w.Money(t.Bid);
            w.Money(t.Ask);
        }
        w.Complete();
        return Task.CompletedTask;
    }

    private static async Task CopyTradesAsync(NpgsqlConnection c, string table, List<(TradeRecord Trade, HistoryKinds Kind, long Sequence)> rows,
        IReadOnlyCollection<long> replaced, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        // Only a ticket edited, deleted or restored in this run can have a row already; a close is always a new row,
        // so the common run (closes and finance records) is a plain append with no look-up first.
        var stale = replaced.Count == 0 ? [] : rows.Where(r => replaced.Contains(r.Trade.Ticket)).Select(r => r.Trade.Ticket).ToArray();
        if (stale.Length > 0)
        {
            await using var del = new NpgsqlCommand($"DELETE FROM {table} WHERE ticket = ANY(@t)", c);
            del.Parameters.AddWithValue("t", stale);
            await del.ExecuteNonQueryAsync(ct);
        }
        using var w = PgCopyWriter.Begin(c, table, TradeColumns.List);
        foreach (var (t, kind, seq) in rows) WriteTrade(w, t, kind, seq);
        w.Complete();
    }

    /// <summary>One row in <see cref="TradeColumns.All"/> order.</summary>
    private static void WriteTrade(PgCopyWriter w, TradeRecord t, HistoryKinds kind, long sequence)
    {
        w.StartRow(TradeColumns.All.Length);
        w.Long(t.Ticket);
        w.Long(t.Login);
        w.Int((int)kind);
        w.Text(t.Symbol);
        w.Int(t.Digits);
        w.Int((int)t.Command);
        w.Int(t.Volume);
        w.Int((int)t.State);
        w.Long(t.OpenTime);
        w.Money(t.OpenPrice);
        w.Money(t.StopLimitPrice);
        w.Money(t.StopLoss);
        w.Money(t.TakeProfit);
        w.Int(t.TrailingDistance);
        w.Int((int)t.ExpirationMode);
        w.Long(t.Expiration);
        w.Long(t.CloseTime);
        w.Money(t.ClosePrice);
        w.Money(t.Commission);
        w.Money(t.AgentCommission);
        w.Money(t.Swap);
        w.Money(t.Profit);
        w.Money(t.Taxes);
        w.Money(t.MarginInitial);
        w.Money(t.OpenRate);
        w.Money(t.CloseRate);
        w.Int((int)t.Reason);
        w.Int((int)t.Activation);
        w.Long(t.Magic);
        w.Text(t.Comment);
        w.Long(t.ParentTicket);
        w.Int(t.ClosedVolume);
        w.Long(t.ClosedByTicket);
        w.Long(t.CloseOrderTicket);
        if (t.ActivatedFrom is { } origin)
        {
            w.Int((int)origin.Command);
            w.Long(origin.PlacedTime);
            w.Money(origin.Price);
        }
        else
        {
            w.Null();
            w.Null();
            w.Null();
        }
        w.Long(t.UpdateTime);
        w.Text(t.ChangedBy);
        w.Text(t.GatewayOrder);
        w.Text(t.GatewaySource);
        w.Text(t.GatewayUuid);
        w.Text(t.ApiData);
        w.Long(sequence);
        w.Money(t.MarginRate);
        w.Long(t.LastSwapTime);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _source.DisposeAsync();
    }
}
