using System.Data.Common;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Dealwire.ReadModel.History.PostgreSql;

/// <summary>
/// The production history store. Deals, orders and the ledger go in with binary <c>COPY</c> (one round trip for a
/// whole run of batches); a ticket written again (an edited, deleted or restored deal) is removed in the same
/// transaction first, so <c>COPY</c> stays a plain append and a ticket keeps exactly one row.
/// </summary>
internal sealed class PostgresHistoryStore(string connectionString) : SqlHistoryStore
{
    public static readonly HistorySchema.Types SqlTypes = new("bigint", "integer", "numeric", "text", "boolean", "date");

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

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
        await CopyTradesAsync(c, "deals", deals, ct);
        await CopyTradesAsync(c, "orders", orders, ct);
        if (changes.Ledger.Count > 0)
        {
            await using var w = await c.BeginBinaryImportAsync($"COPY ledger ({LedgerColumns.List}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (e, seq) in changes.Ledger)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(e.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.Login, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync((int)e.Kind, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(e.Amount, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(e.BalanceAfter, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(e.CreditAfter, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(e.Ticket, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.Comment, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Time, NpgsqlDbType.Bigint, ct);
                await WriteTextOrNull(w, e.IdempotencyKey, ct);
                await WriteTextOrNull(w, e.Reference, ct);
                await w.WriteAsync(e.Actor, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.ReversesId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(seq, NpgsqlDbType.Bigint, ct);
            }
            await w.CompleteAsync(ct);
        }
    }

    private static async Task CopyTradesAsync(NpgsqlConnection c, string table, List<(TradeRecord Trade, HistoryKinds Kind, long Sequence)> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using (var del = new NpgsqlCommand($"DELETE FROM {table} WHERE ticket = ANY(@t)", c))
        {
            del.Parameters.AddWithValue("t", rows.Select(r => r.Trade.Ticket).ToArray());
            await del.ExecuteNonQueryAsync(ct);
        }
        await using var w = await c.BeginBinaryImportAsync($"COPY {table} ({TradeColumns.List}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (t, kind, seq) in rows)
        {
            await w.StartRowAsync(ct);
            var values = TradeColumns.Values(t, kind, seq);
            for (int i = 0; i < values.Length; i++)
            {
                var v = values[i];
                if (v is null)
                {
                    await w.WriteNullAsync(ct);
                    continue;
                }
                switch (TradeColumns.All[i].Type)
                {
                    case TradeColumns.Type.Long or TradeColumns.Type.NullableLong: await w.WriteAsync((long)v, NpgsqlDbType.Bigint, ct); break;
                    case TradeColumns.Type.Int or TradeColumns.Type.NullableInt: await w.WriteAsync((int)v, NpgsqlDbType.Integer, ct); break;
                    case TradeColumns.Type.Decimal or TradeColumns.Type.NullableDecimal: await w.WriteAsync((decimal)v, NpgsqlDbType.Numeric, ct); break;
                    default: await w.WriteAsync((string)v, NpgsqlDbType.Text, ct); break;
                }
            }
        }
        await w.CompleteAsync(ct);
    }

    private static Task WriteTextOrNull(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Text, ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _source.DisposeAsync();
    }
}
