using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Runtime;
using Dealwire.Feeds;
using Dealwire.Feeds.Filtering;
using Dealwire.Feeds.Synthetic;

namespace Dealwire.Host.Tests.Feeds;

/// <summary>The path feed → quote filter → engine, on a real engine loaded with the embedded default.</summary>
public sealed class EngineTickTargetTests : IAsyncLifetime
{
    private readonly EngineRunner _runner = new(new TradingEngine());
    private QuoteFilter _filter = null!;
    private EngineTickTarget _target = null!;

    public async Task InitializeAsync()
    {
        _runner.Start();
        foreach (var command in DemoDefaults.Commands())
        {
            Assert.True((await _runner.SubmitAsync(command)).IsOk, $"the engine refused {command}");
        }
        _filter = new QuoteFilter(new QuoteFilterOptions(), TimeProvider.System);
        _target = new EngineTickTarget(_runner, _filter);
    }

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<long> TicksProcessedAsync() => _runner.QueryAsync(r => r.Counters.TicksProcessed);

    [Fact]
    public async Task The_engine_accepts_the_whole_embedded_default()
    {
        var (symbols, accounts, balances) = await _runner.QueryAsync(r => (
            r.GetSymbols().Select(s => s.Name).Order().ToList(),
            r.GetAccounts(Engine.Model.GroupMask.All).Select(a => (a.Profile.Login, a.Profile.Group)).ToList(),
            r.GetAccounts(Engine.Model.GroupMask.All).Select(a => a.Margin.Balance).ToList()));
        Assert.Equal(["BTCUSD", "EURUSD", "GBPUSD", "US500", "USDJPY", "XAUUSD"], symbols);
        Assert.Equal([(1000L, "demo"), (1001L, "demo-netting")], accounts.Order());
        Assert.All(balances, b => Assert.Equal(10_000m, b));
    }

    [Fact]
    public async Task An_accepted_tick_reaches_the_engine_and_a_filtered_one_does_not()
    {
        Assert.True(_target.Offer(new RawTick("EURUSD", 1.08500m, 1.08510m, Now)));
        Assert.False(_target.Offer(new RawTick("EURUSD", 1.08520m, 1.08510m, Now)));

        Assert.Equal(1, await TicksProcessedAsync());
        var quote = await _runner.QueryAsync(r => r.GetQuote("EURUSD"));
        Assert.Equal((1.08500m, 1.08510m), (quote!.Value.Bid, quote.Value.Ask));
        Assert.Equal(1, _filter.Counters.Crossed);
    }

    [Fact]
    public async Task The_synthetic_feed_prices_every_demo_symbol_in_the_engine()
    {
        await using var feed = new SyntheticFeed(new SyntheticFeedOptions { TicksPerSecondPerSymbol = 50, Seed = 9 }, _target, TimeProvider.System);
        await feed.StartAsync(CancellationToken.None);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await TicksProcessedAsync() < 60 && DateTime.UtcNow < until) await Task.Delay(20);
        await feed.StopAsync(CancellationToken.None);

        var quoted = await _runner.QueryAsync(r => DemoDefaults.Symbols().Count(s => r.GetQuote(s.Name) is { IsSet: true }));
        Assert.Equal(6, quoted);
        Assert.Equal(0, _filter.Counters.Rejected);
        Assert.Equal(0, await _runner.QueryAsync(r => r.Counters.TicksRejectedInvalid + r.Counters.TicksRejectedOutOfOrder + r.Counters.TicksRejectedUnknownSymbol));
    }

    [Fact]
    public async Task Ticks_for_a_stopped_engine_are_refused_and_counted_as_dropped()
    {
        await _runner.StopAsync();
        Assert.False(_target.Offer(new RawTick("EURUSD", 1.08500m, 1.08510m, Now)));
        Assert.Equal(1, _runner.TicksDropped);
    }
}
