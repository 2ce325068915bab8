using Dealwire.ReadModel.History;
using Dealwire.ReadModel.History.Ticks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// Issue #15, the tick history: every journaled tick is stored beside the candles, read back by symbol and time, and
/// kept for the server configuration's <c>keepticks</c> days (0 = the store's default), on both providers.
/// </summary>
public sealed class TickStoreTests
{
    private const long Day = 86_400_000;

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Ticks_are_stored_exactly_and_read_by_symbol_and_time(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var t = stream.Time;
        stream.TickAt(t + 1_000, 1.10001m);
        stream.TickAt(t + 1_000, 1.10003m); // the same millisecond twice: both kept, in journal order
        stream.TickAt(t + 2_500, 1.10007m);
        stream.Tick("GBPUSD", 1.25011m, 1.25013m);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        var ticks = (ITickStore)store;
        var eurusd = await ticks.GetTicksAsync("EURUSD", t, t + 10_000, 100);
        Assert.Equal([1.10001m, 1.10003m, 1.10007m], eurusd.Select(x => x.Bid));
        Assert.Equal([1.10021m, 1.10023m, 1.10027m], eurusd.Select(x => x.Ask));
        Assert.Equal([t + 1_000, t + 1_000, t + 2_500], eurusd.Select(x => x.Time));
        Assert.True(eurusd[0].Sequence < eurusd[1].Sequence);
        Assert.Equal(2, (await ticks.GetTicksAsync("EURUSD", t, t + 10_000, 2)).Count);
        Assert.Single(await ticks.GetTicksAsync("EURUSD", t + 2_000, t + 3_000, 100));
        Assert.Equal(1.25011m, Assert.Single(await ticks.GetTicksAsync("GBPUSD", 0, long.MaxValue, 100)).Bid);
        Assert.Empty(await ticks.GetTicksAsync("USDJPY", 0, long.MaxValue, 100));

        // The candles come from the same ticks.
        Assert.Equal(3, (await store.GetCandlesAsync("EURUSD", Timeframes.M1, t, t)).Single().Ticks);
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task A_candle_across_a_power_of_ten_keeps_its_numeric_high_and_low(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        var minute = (stream.Time / 60_000 + 1) * 60_000;
        // One batch per tick, so each merges into the stored candle (99.5 and 100.25 compare the other way as text).
        foreach (var (at, bid) in new[] { (1_000, 99.5m), (2_000, 100.25m), (3_000, 9.75m), (4_000, 99.75m) })
        {
            stream.TickAt(minute + at, bid);
            await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
        }

        var candle = Assert.Single(await store.GetCandlesAsync("EURUSD", Timeframes.M1, minute, minute));
        Assert.Equal((99.5m, 100.25m, 9.75m, 99.75m, 4L), (candle.Open, candle.High, candle.Low, candle.Close, candle.Ticks));
    }

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Retention_keeps_keepticks_days_and_the_default_while_keepticks_is_zero(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
        await ((ITickStore)store).DeleteTicksBeforeAsync(long.MaxValue); // whatever the demo set-up ticked
        var now = stream.Time + 40 * Day;
        foreach (var age in new[] { 35, 20, 6, 1 }) stream.TickAt(now - age * Day, 1.1m + age / 100_000m);
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now));
        int? keepTicks = 0;
        var retention = new TickRetention((ITickStore)store, () => keepTicks, defaultDays: 30, TimeSpan.FromMinutes(10), clock, NullLogger<TickRetention>.Instance);
        async Task<long[]> Ages() => [.. (await ((ITickStore)store).GetTicksAsync("EURUSD", 0, long.MaxValue, 100)).Select(x => (now - x.Time) / Day)];

        Assert.Equal(30, retention.Days);
        Assert.Equal(1, await retention.SweepAsync());
        Assert.Equal(new long[] { 20, 6, 1 }, await Ages());

        keepTicks = 7; // UpdateConfig keepticks=7
        Assert.Equal(1, await retention.SweepAsync());
        Assert.Equal(new long[] { 6, 1 }, await Ages());
        Assert.Equal(0, await retention.SweepAsync());

        clock.Advance(TimeSpan.FromDays(6)); // a week on, the six-day-old tick is past seven days
        Assert.Equal(1, await retention.SweepAsync());
        Assert.Equal(new long[] { 1 }, await Ages()); // ages counted from the first "now"
        // Candles stay: they are the chart history.
        Assert.NotEmpty(await store.GetCandlesAsync("EURUSD", Timeframes.D1, 0, long.MaxValue));
    }
}
