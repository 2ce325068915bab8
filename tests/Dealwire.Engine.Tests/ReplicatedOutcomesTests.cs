using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests;

/// <summary>
/// A runner that follows the committed log (a gateway node) answers a forwarded command with the value its own engine
/// produced at the leader's sequence: the same value the leader computed, released only when the batch is durable here.
/// </summary>
public class ReplicatedOutcomesTests
{
    private sealed class Prices : IQuoteSink
    {
        public readonly List<string> Symbols = [];

        public void OnQuote(string symbol, in Quote quote)
        {
            lock (Symbols) Symbols.Add(symbol);
        }
    }

    [Fact]
    public async Task A_following_runner_answers_with_the_leaders_value_once_the_batch_is_durable_and_streams_the_prices_it_applies()
    {
        var log = new CommittedLog();
        await using var leader = new EngineRunner(new TradingEngine());
        leader.AddCommittedSink(log);
        leader.Start();
        foreach (var command in DemoDefaults.Commands()) Assert.True((await leader.SubmitAsync(command)).IsOk);
        Assert.True(leader.TryPostTick(new ApplyTick("EURUSD", 1.1m, 1.10002m, 1)));
        var deposit = await leader.SubmitAsync(new PostLedger(DemoDefaults.HedgingLogin, LedgerKind.Deposit, 125.5m) { Comment = "forwarded", IdempotencyKey = "k1" });
        Assert.Equal(ReturnCode.Ok, deposit.Code);
        await leader.StopAsync();

        var journal = new HeldJournal();
        var prices = new Prices();
        var outcomes = new ReplicatedOutcomes();
        await using var follower = new EngineRunner(new TradingEngine(), journal) { Outcomes = outcomes };
        follower.AddQuoteSink(prices);
        follower.Start();
        var answer = outcomes.WaitAsync(deposit.Sequence, CancellationToken.None);
        var applied = follower.ApplyReplicatedAsync(log.Commands.ToList());
        await WaitUntil(() => journal.Batches.Count == 1);
        Assert.False(answer.IsCompleted, "the value left before the follower's batch was durable");
        Assert.Equal(["EURUSD"], prices.Symbols);

        journal.Batches[0].Release();
        Assert.Equal(deposit.Sequence, await applied);
        var entry = Assert.IsType<LedgerEntry>(await answer);
        Assert.Equal(deposit.Value, entry);
        Assert.Equal(deposit.Sequence, outcomes.Released);
        // Asked after the release: answered at once, from what was kept.
        Assert.Equal(deposit.Value, await outcomes.WaitAsync(deposit.Sequence, CancellationToken.None));
        // A repeated request's value (the engine answers RET_OK_NONE) is the remembered original on the follower too.
        var remembered = await follower.ExclusiveAsync(engine => engine.FindIdempotency("system", "k1"));
        Assert.Equal(deposit.Value, remembered?.Entry);
    }

    [Fact]
    public async Task Waiters_complete_in_sequence_order_and_old_values_are_dropped_past_the_capacity()
    {
        var outcomes = new ReplicatedOutcomes(capacity: 2);
        outcomes.Start(10);
        Assert.Null(await outcomes.WaitAsync(7, CancellationToken.None)); // durable before this process: no value kept
        var twelve = outcomes.WaitAsync(12, CancellationToken.None);
        var fourteen = outcomes.WaitAsync(14, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = outcomes.WaitAsync(20, cancel.Token);

        outcomes.Release([(11, "a"), (12, "b")], 12);
        Assert.Equal("b", await twelve);
        Assert.False(fourteen.IsCompleted);
        outcomes.Release([(13, "c")], 14);
        Assert.Null(await fourteen); // applied, produced no value
        Assert.Null(await outcomes.WaitAsync(11, CancellationToken.None)); // dropped: capacity 2 keeps 12 and 13
        Assert.Equal("c", await outcomes.WaitAsync(13, CancellationToken.None));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
