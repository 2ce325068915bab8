using System.Data.Common;
using Dealwire.ReadModel.History.Ticks;

namespace Dealwire.ReadModel.History.Sql;

/// <summary>The tick history (<see cref="ITickStore"/>): raw ticks in the projector's transaction, read by symbol and time.</summary>
internal abstract partial class SqlHistoryStore : ITickStore
{
    /// <summary>Ticks of the run (<see cref="TickColumns"/>): every journaled tick is a row, so each provider bulk-writes them.</summary>
    protected abstract Task WriteTicksAsync(DbConnection connection, DbTransaction transaction, HistoryChanges changes, CancellationToken ct);

    public async Task<IReadOnlyList<TickRow>> GetTicksAsync(string symbol, long from, long to, int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, $"SELECT {TickColumns.List} FROM ticks " +
            "WHERE symbol = @s AND time >= @from AND time <= @to ORDER BY time, sequence LIMIT @limit");
        Add(cmd, "@s", symbol);
        Add(cmd, "@from", from);
        Add(cmd, "@to", to);
        Add(cmd, "@limit", (long)Math.Max(0, limit));
        var rows = new List<TickRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) rows.Add(new TickRow(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4)));
        return rows;
    }

    public async Task<long> DeleteTicksBeforeAsync(long time, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(c, null, "DELETE FROM ticks WHERE time < @t");
        Add(cmd, "@t", time);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
