using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.Feeds;
using Dealwire.Feeds.Filtering;
using Dealwire.Feeds.Sources;
using Dealwire.Host.Http;
using Dealwire.Host.Serving;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Host.Tests.Http;

/// <summary>The figures behind <c>/health</c> and <c>/metrics</c>, including when the engine cannot answer.</summary>
public sealed class HealthAndMetricsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Started = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly EngineRunner _runner = new(new TradingEngine());
    private readonly FeedService _feed;

    public HealthAndMetricsTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Feed:Kind", "None")]).Build();
        var filter = new QuoteFilter(new QuoteFilterOptions(), TimeProvider.System);
        var routing = new FeedRouting(new FeedSourceRegistry(), new SourceArbiter(TimeSpan.FromSeconds(5), TimeProvider.System), new EngineTickTarget(_runner, filter));
        _feed = new FeedService(configuration, filter, routing, new DataDirectory(Path.GetTempPath()), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task A_running_engine_reports_ok_with_its_counts()
    {
        _runner.Start();
        await _runner.SubmitAsync(new UpsertGroup(Engine.Defaults.DemoDefaults.Group("demo", Engine.Model.PositionAccounting.Hedging)));

        var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started.AddSeconds(42), CancellationToken.None);

        Assert.Equal(("ok", "Running", 0, 0, 1L, 42L, "None"),
            (report.Status, report.Engine, report.Symbols, report.Accounts, report.Sequence, report.UptimeSeconds, report.Feed.Kind));
    }

    [Fact]
    public async Task A_live_view_that_stopped_following_the_stream_makes_the_server_stale()
    {
        _runner.Start();
        await using var stream = new CommittedStream(0);
        // Another consumer's fault is its own (the history projector reports itself); the live view's is every gateway's.
        using var other = stream.Subscribe("history", 0, new FailingConsumer());
        stream.OnCommitted(new CommittedBatch(1, 1, Array.Empty<EngineCommand>(), Array.Empty<EngineEvent>()));
        await UntilFaultedAsync(stream, "history");
        Assert.Equal("ok", (await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started, CancellationToken.None, stream)).Status);

        using var view = stream.Subscribe(LiveView.ConsumerName, 0, new FailingConsumer());
        await UntilFaultedAsync(stream, LiveView.ConsumerName);
        var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started, CancellationToken.None, stream);
        Assert.Equal("stale", report.Status);
        Assert.Contains(report.StreamConsumers!, c => c.Name == LiveView.ConsumerName && c.Error == "applying failed");
    }

    private static async Task UntilFaultedAsync(CommittedStream stream, string consumer)
    {
        for (var waited = 0; stream.GetConsumers().Single(c => c.Name == consumer).State != "faulted"; waited += 10)
        {
            Assert.True(waited < 10_000, $"{consumer} did not fault");
            await Task.Delay(10);
        }
    }

    private sealed class FailingConsumer : ICommittedConsumer
    {
        public ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken) => throw new InvalidOperationException("applying failed");
    }

    [Fact]
    public async Task Each_source_reports_its_health_with_the_age_of_its_last_tick()
    {
        _runner.Start();
        var source = _feed.Routing.Sources.GetOrAdd("lp-a", 1);
        source.SessionStarted();
        _feed.Routing.Arbiter.Arbitrate(source, "EURUSD");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(source.LastTickAt + 1500);

        var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, now, CancellationToken.None);

        Assert.Equal([new FeedSourceHealth("lp-a", 1, true, 1500, 0, 0, 0)], report.Feed.Sources);
    }

    [Fact]
    public async Task An_engine_that_never_started_is_unavailable()
    {
        var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started, CancellationToken.None);
        Assert.Equal(("unavailable", "Created"), (report.Status, report.Engine));
    }

    [Fact]
    public async Task A_stopped_engine_is_unavailable_and_its_counters_remain()
    {
        _runner.Start();
        await _runner.SubmitAsync(new UpsertGroup(Engine.Defaults.DemoDefaults.Group("demo", Engine.Model.PositionAccounting.Hedging)));
        await _runner.StopAsync();

        var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started, CancellationToken.None);
        Assert.Equal(("unavailable", "Stopped", 1L), (report.Status, report.Engine, report.CommandsApplied));
        var metrics = await GaugeReadings.ReadAsync(_runner, _feed);
        Assert.Equal(0, metrics.Single("dealwire_engine_up"));
        Assert.Equal(1, metrics.Single("dealwire_engine_state", ("state", "Stopped")));
        Assert.Equal(0, metrics.Single("dealwire_engine_state", ("state", "Running")));
        Assert.Equal(1, metrics.Single("dealwire_engine_commands_applied"));
        // The engine did not answer: no figure rather than a stale or made-up one.
        Assert.False(metrics.Has("dealwire_engine_sequence"));
    }

    [Fact]
    public async Task A_busy_engine_is_reported_unavailable_instead_of_hanging_the_request()
    {
        _runner.Start();
        using var release = new ManualResetEventSlim();
        // Occupy the engine thread past the probe's 2 s limit.
        var blocker = _runner.ExclusiveAsync(_ => release.Wait(TimeSpan.FromSeconds(10)));
        try
        {
            var report = await HealthEndpoint.ReportAsync(_runner, _feed, Started, Started, CancellationToken.None);
            Assert.Equal(("unavailable", "Running"), (report.Status, report.Engine));
        }
        finally
        {
            release.Set();
            await blocker;
        }
    }

    [Fact]
    public async Task The_server_gauges_read_the_engine_feed_and_filter_figures_of_the_moment()
    {
        _runner.Start();
        await _runner.SubmitAsync(new UpsertGroup(Engine.Defaults.DemoDefaults.Group("demo", Engine.Model.PositionAccounting.Hedging)));

        var metrics = await GaugeReadings.ReadAsync(_runner, _feed);

        Assert.Equal(1, metrics.Single("dealwire_engine_up"));
        Assert.Equal(1, metrics.Single("dealwire_engine_state", ("state", "Running")));
        Assert.Equal(1, metrics.Single("dealwire_engine_sequence"));
        Assert.Equal(0, metrics.Single("dealwire_engine_accounts"));
        Assert.Equal(0, metrics.Single("dealwire_quote_filter_rejected", ("reason", "crossed")));
        Assert.InRange(metrics.Single("dealwire_gc_allocated_bytes"), 1, double.MaxValue);
        Assert.Equal(3, metrics.All("dealwire_gc_collections").Count);
    }
}
