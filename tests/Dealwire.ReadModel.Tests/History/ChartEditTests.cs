using Dealwire.Engine.Commands;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>Candles from known ticks and managers' chart edits (scaletrade-tcp §7.8), on both providers, to the point.</summary>
public sealed class ChartEditTests
{
    private const long Minute = 60_000, Hour = 3_600_000;

    /// <summary>10:00 of the stream's Monday, and a tick helper.</summary>
    private sealed class Chart(EngineStream stream)
    {
        public readonly long H10 = Timeframes.PeriodStart(stream.Time, Timeframes.H1);

        public void Tick(long time, decimal bid) => stream.TickAt(time, bid);

        public void Edit(ChartEditKind kind, ChartBar[] bars, long from = 0, long to = 0) =>
            stream.Ok(new EditChart("EURUSD", kind, bars, from, to) { Actor = "manager:7" });
    }

    private static Task<IReadOnlyList<Candle>> Read(IHistoryStore store, int tf, long from, long to) => store.GetCandlesAsync("EURUSD", tf, from, to);

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Edits_change_the_M1_candles_and_every_larger_timeframe_follows_from_M1(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var chart = new Chart(stream);
        var t = chart.H10;
        chart.Tick(t + 1_000, 1.10000m);          // 10:00 o=h=l=c 1.10000
        chart.Tick(t + 30_000, 1.10500m);         // 10:00 h/c 1.10500 (a spike)
        chart.Tick(t + 31_000, 1.10010m);         // 10:00 c 1.10010
        chart.Tick(t + 2 * Minute + 5, 1.10100m); // 10:02
        chart.Tick(t + 7 * Minute, 1.10200m);     // 10:07
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        Assert.Equal(new Candle("EURUSD", 1, t, 1.10000m, 1.10500m, 1.10000m, 1.10010m, 3), (await Read(store, 1, t, t))[0]);
        Assert.Equal(new Candle("EURUSD", 5, t, 1.10000m, 1.10500m, 1.10000m, 1.10100m, 4), (await Read(store, 5, t, t))[0]);

        // FixSpike: the 10:00 candle keeps open and close, its wick goes; M5 and H1 follow.
        chart.Edit(ChartEditKind.FixSpike, [], t + 10_000, t + 10_000);
        // Update 10:02; delete 10:07 (DeleteChartCandle's bar carries only the time that matters); import 09:58-09:59.
        chart.Edit(ChartEditKind.UpdateCandle, [new ChartBar(t + 2 * Minute, 1.1m, 1.2m, 1.0m, 1.15m, 9)]);
        chart.Edit(ChartEditKind.DeleteCandle, [new ChartBar(t + 7 * Minute, 1.10200m, 1.10200m, 1.10200m, 1.10200m, 1)]);
        chart.Edit(ChartEditKind.ImportRange,
        [
            new ChartBar(t - 2 * Minute, 1.09000m, 1.09100m, 1.08900m, 1.09050m, 10),
            new ChartBar(t - Minute + 30_000, 1.09050m, 1.09200m, 1.09000m, 1.09150m, 12), // normalised to 09:59
        ]);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        Assert.Equal(
            [
                new Candle("EURUSD", 1, t - 2 * Minute, 1.09000m, 1.09100m, 1.08900m, 1.09050m, 10),
                new Candle("EURUSD", 1, t - Minute, 1.09050m, 1.09200m, 1.09000m, 1.09150m, 12),
                new Candle("EURUSD", 1, t, 1.10000m, 1.10010m, 1.10000m, 1.10010m, 3),
                new Candle("EURUSD", 1, t + 2 * Minute, 1.1m, 1.2m, 1.0m, 1.15m, 9),
            ],
            await Read(store, 1, t - Hour, t + Hour));
        Assert.Equal(
            [
                new Candle("EURUSD", 5, t - 5 * Minute, 1.09000m, 1.09200m, 1.08900m, 1.09150m, 22),
                new Candle("EURUSD", 5, t, 1.10000m, 1.2m, 1.0m, 1.15m, 12),
            ],
            await Read(store, 5, t - Hour, t + Hour));
        Assert.Equal(
            [
                new Candle("EURUSD", 60, t - Hour, 1.09000m, 1.09200m, 1.08900m, 1.09150m, 22),
                new Candle("EURUSD", 60, t, 1.10000m, 1.2m, 1.0m, 1.15m, 12),
            ],
            await Read(store, 60, t - 2 * Hour, t + Hour));
        var day = Assert.Single(await Read(store, Timeframes.D1, t - 24 * Hour, t + 24 * Hour));
        Assert.Equal((1.09000m, 1.2m, 1.0m, 1.15m, 34L), (day.Open, day.High, day.Low, day.Close, day.Ticks));

        // DeletePeriod 09:58-10:00 leaves 10:02 alone; ImportAll then drops everything else.
        chart.Edit(ChartEditKind.DeletePeriod, [], t - 2 * Minute, t + Minute - 1);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
        Assert.Equal([t + 2 * Minute], (await Read(store, 1, t - Hour, t + Hour)).Select(k => k.Time));
        Assert.Equal(new Candle("EURUSD", 60, t, 1.1m, 1.2m, 1.0m, 1.15m, 9), Assert.Single(await Read(store, 60, t - 2 * Hour, t + Hour)));

        chart.Edit(ChartEditKind.ImportAll, [new ChartBar(t + 20 * Minute, 2m, 2m, 2m, 2m, 1)]);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
        Assert.Equal([t + 20 * Minute], (await Read(store, 1, 0, long.MaxValue)).Select(k => k.Time));
        Assert.Equal(new Candle("EURUSD", Timeframes.D1, Timeframes.PeriodStart(t, Timeframes.D1), 2m, 2m, 2m, 2m, 1),
            Assert.Single(await Read(store, Timeframes.D1, 0, long.MaxValue)));
    }

    /// <summary>Ticks before and after an edit of the same minute, folded into one write, end as one by one would.</summary>
    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task One_write_of_many_batches_gives_the_candles_of_one_write_per_batch(HistoryProvider provider)
    {
        var batches = new List<CommittedBatch>();
        var stream = new EngineStream();
        var chart = new Chart(stream);
        var t = chart.H10;
        batches.Add(stream.Cut()!);
        chart.Tick(t + 1_000, 1.1m);
        chart.Tick(t + 2_000, 1.3m);
        batches.Add(stream.Cut()!);
        chart.Edit(ChartEditKind.DeleteCandle, [new ChartBar(t, 1m, 1m, 1m, 1m, 0)]);
        batches.Add(stream.Cut()!);
        chart.Tick(t + 3_000, 1.2m); // the minute starts again after its deletion
        chart.Tick(t + Minute + 1, 1.25m);
        batches.Add(stream.Cut()!);

        async Task<List<Candle>> Play(IEnumerable<IEnumerable<CommittedBatch>> writes)
        {
            await using var db = await HistoryDatabase.CreateAsync(provider);
            await using var store = db.OpenStore();
            await store.OpenAsync();
            foreach (var w in writes) await store.ApplyAsync(HistoryChanges.From(w));
            var all = new List<Candle>();
            foreach (var tf in Timeframes.All) all.AddRange(await Read(store, tf, 0, long.MaxValue));
            return all;
        }

        var oneByOne = await Play(batches.Select(b => new[] { b }));
        var folded = await Play([batches]);
        Assert.Equal(oneByOne, folded);
        Assert.Equal(new Candle("EURUSD", 1, t, 1.2m, 1.2m, 1.2m, 1.2m, 1), oneByOne[0]);
        Assert.Equal(new Candle("EURUSD", 5, t, 1.2m, 1.25m, 1.2m, 1.25m, 2), oneByOne.Single(k => k.Timeframe == 5));
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Weeks_and_months_are_folded_from_days(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var chart = new Chart(stream);
        // Fri 2026-10-30, Sat 10-31 (no tick), Mon 11-02, Tue 11-03, Mon 11-09.
        long At(int month, int day) => new DateTimeOffset(2026, month, day, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        // The stream's clock only moves forward: edit through imports, which carry their own times.
        chart.Edit(ChartEditKind.ImportRange,
        [
            new ChartBar(At(10, 30), 1.0m, 1.1m, 0.9m, 1.05m, 1),
            new ChartBar(At(11, 2), 1.05m, 1.2m, 1.0m, 1.1m, 2),
            new ChartBar(At(11, 3), 1.1m, 1.15m, 0.8m, 1.12m, 3),
            new ChartBar(At(11, 9), 1.12m, 1.3m, 1.1m, 1.25m, 4),
        ]);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        var weeks = await ChartFrames.ReadAsync(store, "EURUSD", ChartFrames.W1, 0, long.MaxValue / 2);
        Assert.Equal(
            [
                new Candle("EURUSD", ChartFrames.W1, Day(10, 26), 1.0m, 1.1m, 0.9m, 1.05m, 1),
                new Candle("EURUSD", ChartFrames.W1, Day(11, 2), 1.05m, 1.2m, 0.8m, 1.12m, 5),
                new Candle("EURUSD", ChartFrames.W1, Day(11, 9), 1.12m, 1.3m, 1.1m, 1.25m, 4),
            ],
            weeks);
        var months = await ChartFrames.ReadAsync(store, "EURUSD", ChartFrames.MN1, 0, long.MaxValue / 2);
        Assert.Equal(
            [
                new Candle("EURUSD", ChartFrames.MN1, Day(10, 1), 1.0m, 1.1m, 0.9m, 1.05m, 1),
                new Candle("EURUSD", ChartFrames.MN1, Day(11, 1), 1.05m, 1.3m, 0.8m, 1.25m, 9),
            ],
            months);
        // A period counts when it starts inside the range: from the 2nd of November, October's month is left out.
        Assert.Equal([Day(11, 1)], (await ChartFrames.ReadAsync(store, "EURUSD", ChartFrames.MN1, Day(11, 1), Day(11, 30))).Select(k => k.Time));
    }

    private static long Day(int month, int day) => new DateTimeOffset(2026, month, day, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
