using System.Data.Common;
using Dealwire.Engine.Commands;

namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// Candles: ticks merge into every timeframe directly; a manager's chart edit changes the M1 candles and then rebuilds
/// the larger timeframes of the periods it touched from M1 (so every timeframe still agrees with M1).
/// </summary>
internal abstract partial class SqlHistoryStore
{
    private async Task WriteChartsAsync(DbConnection c, DbTransaction tx, HistoryChanges ch, CancellationToken ct)
    {
        foreach (var (ticksBefore, edit) in ch.ChartEdits)
        {
            await MergeTickCandlesAsync(c, tx, ticksBefore, ct);
            await ApplyChartEditAsync(c, tx, edit, ct);
        }
        await MergeTickCandlesAsync(c, tx, ch.Candles, ct);
    }

    private async Task ApplyChartEditAsync(DbConnection c, DbTransaction tx, EditChart edit, CancellationToken ct)
    {
        var bars = edit.Bars.Select(b => b with { Time = Timeframes.PeriodStart(b.Time, Timeframes.M1) }).ToList();
        long from, to;
        switch (edit.Kind)
        {
            case ChartEditKind.ImportAll:
                await DeleteCandlesAsync(c, tx, edit.Symbol, null, long.MinValue, long.MaxValue, ct);
                (from, to) = (bars.Min(b => b.Time), bars.Max(b => b.Time));
                await ReplaceM1Async(c, tx, edit.Symbol, bars, ct);
                break;
            case ChartEditKind.ImportRange:
                (from, to) = (bars.Min(b => b.Time), bars.Max(b => b.Time));
                await DeleteCandlesAsync(c, tx, edit.Symbol, Timeframes.M1, from, to, ct);
                await ReplaceM1Async(c, tx, edit.Symbol, bars, ct);
                break;
            case ChartEditKind.UpdateCandle:
                from = to = bars[0].Time;
                await DeleteCandlesAsync(c, tx, edit.Symbol, Timeframes.M1, from, to, ct);
                await ReplaceM1Async(c, tx, edit.Symbol, bars, ct);
                break;
            case ChartEditKind.DeleteCandle:
                from = to = bars[0].Time;
                await DeleteCandlesAsync(c, tx, edit.Symbol, Timeframes.M1, from, to, ct);
                break;
            case ChartEditKind.DeletePeriod:
                (from, to) = (edit.From, edit.To);
                await DeleteCandlesAsync(c, tx, edit.Symbol, Timeframes.M1, from, to, ct);
                break;
            case ChartEditKind.FixSpike:
                from = to = Timeframes.PeriodStart(edit.From, Timeframes.M1);
                await using (var fix = Command(c, tx,
                    $"UPDATE candles SET high = {Greatest}(open, close), low = {Least}(open, close) WHERE symbol = @s AND timeframe = @tf AND time = @t"))
                {
                    Add(fix, "@s", edit.Symbol);
                    Add(fix, "@tf", Timeframes.M1);
                    Add(fix, "@t", from);
                    await fix.ExecuteNonQueryAsync(ct);
                }
                break;
            default:
                throw new InvalidOperationException($"chart edit {edit.Kind} is not known to the history store");
        }
        await RollUpFromM1Async(c, tx, edit.Symbol, from, to, ct);
    }

    private static async Task DeleteCandlesAsync(DbConnection c, DbTransaction tx, string symbol, int? timeframe, long from, long to, CancellationToken ct)
    {
        await using var del = Command(c, tx, "DELETE FROM candles WHERE symbol = @s AND time >= @from AND time <= @to"
            + (timeframe is null ? "" : " AND timeframe = @tf"));
        Add(del, "@s", symbol);
        Add(del, "@from", from);
        Add(del, "@to", to);
        if (timeframe is { } tf) Add(del, "@tf", tf);
        await del.ExecuteNonQueryAsync(ct);
    }

    private static Task ReplaceM1Async(DbConnection c, DbTransaction tx, string symbol, IReadOnlyList<ChartBar> bars, CancellationToken ct) =>
        InsertRowsAsync(c, tx, "candles", "symbol, timeframe, time, open, high, low, close, ticks",
            bars.GroupBy(b => b.Time).Select(g => g.Last())
                .Select(b => new object?[] { symbol, Timeframes.M1, b.Time, b.Open, b.High, b.Low, b.Close, b.Volume }).ToList(),
            "ON CONFLICT (symbol, timeframe, time) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, ticks = excluded.ticks",
            ct);

    /// <summary>Rebuilds every timeframe above M1 for the periods holding [from, to] from the M1 candles.</summary>
    private static async Task RollUpFromM1Async(DbConnection c, DbTransaction tx, string symbol, long from, long to, CancellationToken ct)
    {
        // The widest timeframe's periods cover every smaller one's: read M1 over them once.
        var widest = Timeframes.All.Max();
        var start = Timeframes.PeriodStart(from, widest);
        var end = Timeframes.PeriodStart(to, widest) + widest * 60_000L - 1;
        var m1 = new List<Candle>();
        await using (var read = Command(c, tx, "SELECT symbol, timeframe, time, open, high, low, close, ticks FROM candles " +
            "WHERE symbol = @s AND timeframe = @tf AND time >= @from AND time <= @to ORDER BY time"))
        {
            Add(read, "@s", symbol);
            Add(read, "@tf", Timeframes.M1);
            Add(read, "@from", start);
            Add(read, "@to", end);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                m1.Add(new Candle(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6), r.GetInt64(7)));
            }
        }
        foreach (var tf in Timeframes.All)
        {
            if (tf == Timeframes.M1) continue;
            var first = Timeframes.PeriodStart(from, tf);
            var last = Timeframes.PeriodStart(to, tf) + tf * 60_000L - 1;
            await DeleteCandlesAsync(c, tx, symbol, tf, first, last, ct);
            var rolled = CandleRollup.Roll(m1.Where(k => k.Time >= first && k.Time <= last), tf, time => Timeframes.PeriodStart(time, tf));
            await InsertRowsAsync(c, tx, "candles", "symbol, timeframe, time, open, high, low, close, ticks",
                rolled.Select(k => new object?[] { k.Symbol, k.Timeframe, k.Time, k.Open, k.High, k.Low, k.Close, k.Ticks }).ToList(), "", ct);
        }
    }
}
