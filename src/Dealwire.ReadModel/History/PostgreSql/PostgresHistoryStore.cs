using System.Data.Common;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Dealwire.ReadModel.History.PostgreSql;

/// <summary>
/// The production history store. Deals, orders, the ledger and the audit log go in with binary <c>COPY</c> (one round
/// trip for a whole run of batches), written column by column with typed synchronous calls; a ticket written again (an
/// edited, deleted or restored deal) is removed in the same transaction first, so <c>COPY</c> stays a plain append
/// and a ticket keeps exactly one row.
/// </summary>
internal sealed class PostgresHistoryStore(string connectionString) : SqlHistoryStore
{
    public static readonly HistorySchema.Types SqlTypes = new("bigint", "integer", "numeric", "text", "boolean", "date");

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    protected override HistorySchema.Types ColumnTypes => SqlTypes;

    protected override IEnumerable<string> Schema => HistorySchema.Statements(SqlTypes);

    protected override string Greatest => "GREATEST";

    protected override string Least => "LEAST";

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);

    protected override async Task WriteBulkAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
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
        if (changes.Ledger.Count > 0)
        {
            // Synchronous row writes: the importer fills an 8 KB buffer and only a full buffer touches the socket, so
            // an awaited call per column would cost a state machine each for nothing (13 columns × every entry).
            using var w = c.BeginBinaryImport($"COPY ledger ({LedgerColumns.List}) FROM STDIN (FORMAT BINARY)");
            foreach (var (e, seq) in changes.Ledger)
            {
                w.StartRow();
                w.Write(e.Id, NpgsqlDbType.Bigint);
                w.Write(e.Login, NpgsqlDbType.Bigint);
                w.Write((int)e.Kind, NpgsqlDbType.Integer);
                w.Write(e.Amount, NpgsqlDbType.Numeric);
                w.Write(e.BalanceAfter, NpgsqlDbType.Numeric);
                w.Write(e.CreditAfter, NpgsqlDbType.Numeric);
                w.Write(e.Ticket, NpgsqlDbType.Bigint);
                w.Write(e.Comment, NpgsqlDbType.Text);
                w.Write(e.Time, NpgsqlDbType.Bigint);
                WriteTextOrNull(w, e.IdempotencyKey);
                WriteTextOrNull(w, e.Reference);
                w.Write(e.Actor, NpgsqlDbType.Text);
                w.Write(e.ReversesId, NpgsqlDbType.Bigint);
                w.Write(seq, NpgsqlDbType.Bigint);
            }
            w.Complete();
        }
    }

    /// <summary>Audit rows by binary COPY as well: under round-trip load every manager command brings one.</summary>
    protected override Task WriteAuditAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Audit.Count == 0) return Task.CompletedTask;
        using var w = ((NpgsqlConnection)connection).BeginBinaryImport(
            "COPY audit_log (sequence, time, actor, source, command, payload, after) FROM STDIN (FORMAT BINARY)");
        foreach (var a in changes.Audit)
        {
            w.StartRow();
            w.Write(a.Sequence, NpgsqlDbType.Bigint);
            w.Write(a.Time, NpgsqlDbType.Bigint);
            w.Write(a.Actor, NpgsqlDbType.Text);
            WriteTextOrNull(w, a.Source);
            w.Write(a.Command, NpgsqlDbType.Text);
            w.Write(a.Payload, NpgsqlDbType.Text);
            WriteTextOrNull(w, a.After);
        }
        w.Complete();
        return Task.CompletedTask;
    }

    /// <summary>Ticks by binary COPY: every journaled tick is a row.</summary>
    protected override Task WriteTicksAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct)
    {
        if (changes.Ticks.Count == 0) return Task.CompletedTask;
        using var w = ((NpgsqlConnection)connection).BeginBinaryImport("COPY ticks (symbol, time, sequence, bid, ask) FROM STDIN (FORMAT BINARY)");
        foreach (var t in changes.Ticks)
        {
            w.StartRow();
            w.Write(t.Symbol, NpgsqlDbType.Text);
            w.Write(t.Time, NpgsqlDbType.Bigint);
            w.Write(t.Sequence, NpgsqlDbType.Bigint);
            w.Write(t.Bid, NpgsqlDbType.Numeric);
            w.Write(t.Ask, NpgsqlDbType.Numeric);
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
        using var w = c.BeginBinaryImport($"COPY {table} ({TradeColumns.List}) FROM STDIN (FORMAT BINARY)");
        foreach (var (t, kind, seq) in rows) WriteTrade(w, t, kind, seq);
        w.Complete();
    }

    /// <summary>One row in <see cref="TradeColumns.All"/> order, typed: no boxing, no per-column await.</summary>
    private static void WriteTrade(NpgsqlBinaryImporter w, TradeRecord t, HistoryKinds kind, long sequence)
    {
        w.StartRow();
        w.Write(t.Ticket, NpgsqlDbType.Bigint);
        w.Write(t.Login, NpgsqlDbType.Bigint);
        w.Write((int)kind, NpgsqlDbType.Integer);
        w.Write(t.Symbol, NpgsqlDbType.Text);
        w.Write(t.Digits, NpgsqlDbType.Integer);
        w.Write((int)t.Command, NpgsqlDbType.Integer);
        w.Write(t.Volume, NpgsqlDbType.Integer);
        w.Write((int)t.State, NpgsqlDbType.Integer);
        w.Write(t.OpenTime, NpgsqlDbType.Bigint);
        w.Write(t.OpenPrice, NpgsqlDbType.Numeric);
        w.Write(t.StopLimitPrice, NpgsqlDbType.Numeric);
        w.Write(t.StopLoss, NpgsqlDbType.Numeric);
        w.Write(t.TakeProfit, NpgsqlDbType.Numeric);
        w.Write(t.TrailingDistance, NpgsqlDbType.Integer);
        w.Write((int)t.ExpirationMode, NpgsqlDbType.Integer);
        w.Write(t.Expiration, NpgsqlDbType.Bigint);
        w.Write(t.CloseTime, NpgsqlDbType.Bigint);
        w.Write(t.ClosePrice, NpgsqlDbType.Numeric);
        w.Write(t.Commission, NpgsqlDbType.Numeric);
        w.Write(t.AgentCommission, NpgsqlDbType.Numeric);
        w.Write(t.Swap, NpgsqlDbType.Numeric);
        w.Write(t.Profit, NpgsqlDbType.Numeric);
        w.Write(t.Taxes, NpgsqlDbType.Numeric);
        w.Write(t.MarginInitial, NpgsqlDbType.Numeric);
        w.Write(t.OpenRate, NpgsqlDbType.Numeric);
        w.Write(t.CloseRate, NpgsqlDbType.Numeric);
        w.Write((int)t.Reason, NpgsqlDbType.Integer);
        w.Write((int)t.Activation, NpgsqlDbType.Integer);
        w.Write(t.Magic, NpgsqlDbType.Bigint);
        w.Write(t.Comment, NpgsqlDbType.Text);
        w.Write(t.ParentTicket, NpgsqlDbType.Bigint);
        w.Write(t.ClosedVolume, NpgsqlDbType.Integer);
        w.Write(t.ClosedByTicket, NpgsqlDbType.Bigint);
        w.Write(t.CloseOrderTicket, NpgsqlDbType.Bigint);
        if (t.ActivatedFrom is { } origin)
        {
            w.Write((int)origin.Command, NpgsqlDbType.Integer);
            w.Write(origin.PlacedTime, NpgsqlDbType.Bigint);
            w.Write(origin.Price, NpgsqlDbType.Numeric);
        }
        else
        {
            w.WriteNull();
            w.WriteNull();
            w.WriteNull();
        }
        w.Write(t.UpdateTime, NpgsqlDbType.Bigint);
        w.Write(t.ChangedBy, NpgsqlDbType.Text);
        w.Write(t.GatewayOrder, NpgsqlDbType.Text);
        w.Write(t.GatewaySource, NpgsqlDbType.Text);
        w.Write(t.GatewayUuid, NpgsqlDbType.Text);
        w.Write(t.ApiData, NpgsqlDbType.Text);
        w.Write(sequence, NpgsqlDbType.Bigint);
        w.Write(t.MarginRate, NpgsqlDbType.Numeric);
        w.Write(t.LastSwapTime, NpgsqlDbType.Bigint);
    }

    private static void WriteTextOrNull(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value, NpgsqlDbType.Text);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _source.DisposeAsync();
    }
}
