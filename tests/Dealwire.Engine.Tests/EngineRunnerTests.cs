using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests;

public class EngineRunnerTests
{
    private sealed class FixedClock(long start) : IEngineClock
    {
        public long Value = start;

        public long UnixMilliseconds() => Value;
    }

    private sealed class Recorder : IEngineEventSink, IQuoteSink
    {
        public readonly List<EngineEvent> Events = new();
        public readonly List<(string, Quote)> Quotes = new();

        public void OnEvents(IReadOnlyList<EngineEvent> events)
        {
            lock (Events) Events.AddRange(events);
        }

        public void OnQuote(string symbol, in Quote quote)
        {
            lock (Quotes) Quotes.Add((symbol, quote));
        }
    }

    [Fact]
    public async Task Replies_and_events_wait_for_the_journal()
    {
        var journal = new HeldJournal();
        var recorder = new Recorder();
        await using var runner = new EngineRunner(new TradingEngine(), journal, new FixedClock(1_000));
        runner.AddEventSink(recorder);
        runner.Start();

        var pending = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "g" }));
        await WaitUntil(() => journal.Batches.Count == 1);
        Assert.False(pending.IsCompleted);
        Assert.Empty(recorder.Events);

        journal.Batches[0].Release();
        var result = await pending;
        Assert.True(result.IsOk);
        Assert.Equal("g", result.Value!.Name);
        Assert.IsType<GroupEvent>(Assert.Single(recorder.Events));
        Assert.Equal(1, recorder.Events[0].Sequence);
    }

    [Fact]
    public async Task A_failed_journal_write_fails_the_callers()
    {
        var journal = new HeldJournal();
        await using var runner = new EngineRunner(new TradingEngine(), journal, new FixedClock(1_000));
        runner.Start();
        var pending = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "g" }));
        await WaitUntil(() => journal.Batches.Count == 1);
        journal.Batches[0].Fail(new IOException("disk full"));
        await Assert.ThrowsAsync<IOException>(() => pending);
    }

    [Fact]
    public async Task Rejections_are_answered_but_not_journaled_and_sequences_stay_contiguous()
    {
        var journal = new HeldJournal();
        var clock = new FixedClock(5_000);
        await using var runner = new EngineRunner(new TradingEngine(), journal, clock);
        runner.Start();
        var ok1 = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "a" }));
        var bad = runner.SubmitAsync(new DeleteGroup("missing"));
        var ok2 = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "b" }));
        await WaitUntil(() => { lock (journal.Batches) return journal.Batches.Sum(b => b.Commands.Count) == 2 && journal.Batches.Count > 0; });
        await Task.Delay(50);
        lock (journal.Batches) foreach (var b in journal.Batches) b.Release();
        Assert.True((await ok1).IsOk);
        Assert.Equal(ReturnCode.GroupNotFound, (await bad).Code);
        Assert.True((await ok2).IsOk);
        var sequences = journal.Batches.SelectMany(b => b.Commands).Select(c => c.Sequence).ToList();
        Assert.Equal([1L, 2L], sequences);
        Assert.All(journal.Batches.SelectMany(b => b.Commands), c => Assert.Equal(5_000, c.Time));
    }

    [Fact]
    public async Task Ticks_reach_quote_sinks_and_queries_see_the_state()
    {
        var recorder = new Recorder();
        var clock = new FixedClock(10_000);
        await using var runner = new EngineRunner(new TradingEngine(), clock: clock);
        runner.AddQuoteSink(recorder);
        runner.Start();
        Assert.True((await runner.SubmitAsync(new UpsertSymbol(new SymbolConfig { Name = "EURUSD", BaseCurrency = "EUR", ProfitCurrency = "USD" }))).IsOk);
        Assert.True(runner.TryPostTick(new ApplyTick("EURUSD", 1.1m, 1.10002m, 9_999)));
        Assert.True(runner.TryPostTick(new ApplyTick("NOPE", 1m, 1m, 9_999)));
        var quote = await runner.QueryAsync(r => r.GetQuote("EURUSD"));
        Assert.Equal(1.10002m, quote!.Value.Ask);
        Assert.Single(recorder.Quotes);
        Assert.Equal(1, runner.Counters.TicksRejectedUnknownSymbol);
    }

    [Fact]
    public async Task Time_is_stamped_monotonic_even_if_the_clock_steps_back()
    {
        var clock = new FixedClock(50_000);
        var journal = new HeldJournal();
        await using var runner = new EngineRunner(new TradingEngine(), journal, clock);
        runner.Start();
        var a = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "a" }));
        await WaitUntil(() => journal.Batches.Count == 1);
        clock.Value = 40_000;
        var b = runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = "b" }));
        await WaitUntil(() => journal.Batches.Count == 2);
        Assert.Equal(50_000, journal.Batches[1].Commands[0].Time);
        foreach (var batch in journal.Batches) batch.Release();
        await Task.WhenAll(a, b);
    }

    [Fact]
    public async Task A_full_queue_holds_its_writers_and_every_one_is_applied_once_and_answered()
    {
        // Capacity 2 against 400 concurrent callers: most wait in the queue's writer list, and each is resumed when the
        // engine thread takes an item (on that thread: the queue runs continuations synchronously). Queries interleave.
        await using var runner = new EngineRunner(new TradingEngine(), clock: new FixedClock(1_000), options: new EngineRunnerOptions { QueueCapacity = 2 });
        runner.Start();
        var callers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var results = new List<CommandResult<GroupConfig>>();
            for (var i = 0; i < 50; i++)
            {
                results.Add(await runner.SubmitAsync(new UpsertGroup(new GroupConfig { Name = $"g{worker}-{i}" })));
                if (i % 10 == 0) Assert.True(await runner.QueryAsync(r => r.GetGroups().Count()) >= 1);
            }
            return results;
        })).ToList();
        var all = (await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30))).SelectMany(r => r).ToList();

        Assert.Equal(400, all.Count);
        Assert.All(all, r => Assert.True(r.IsOk));
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), all.Select(r => r.Sequence).Order());
        Assert.Equal(400, await runner.QueryAsync(r => r.GetGroups().Count(g => g.Name.StartsWith('g'))));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "condition not reached in 5 s");
    }
}
