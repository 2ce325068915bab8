using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Tests;

/// <summary>
/// A replica applies the committed log on top of what its engine holds. Commands at or below the sequence it took from
/// a log (its journal, or the log itself) are skipped as already applied; but where the engine holds commands it
/// sequenced itself as a leader and the cluster never committed, or where the log skips a sequence, the engine does not
/// follow the log any more: it refuses the whole entry and changes nothing (the replica then stops and recovers).
/// </summary>
public class ReplicatedLogConflictTests
{
    // An entry the engine wrongly took would wait for its journal forever: bound every wait for a refusal.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The committed log of a leader that applied the embedded default, then one deposit.</summary>
    private static async Task<List<EngineCommand>> LogWithDepositAsync()
    {
        var log = new CommittedLog();
        await using var leader = new EngineRunner(new TradingEngine());
        leader.AddCommittedSink(log);
        leader.Start();
        foreach (var command in DemoDefaults.Commands()) Assert.True((await leader.SubmitAsync(command)).IsOk);
        Assert.True((await leader.SubmitAsync(new PostLedger(DemoDefaults.HedgingLogin, LedgerKind.Deposit, 200m))).IsOk);
        await leader.StopAsync();
        return log.Commands;
    }

    /// <summary>An engine recovered from a journal holding <paramref name="journaled"/>.</summary>
    private static TradingEngine Recovered(IEnumerable<EngineCommand> journaled)
    {
        var engine = new TradingEngine();
        foreach (var command in journaled) Assert.Equal(ReturnCode.Ok, engine.Execute(command).Code);
        return engine;
    }

    /// <summary>
    /// A replica that followed the committed log through the embedded default, then led for a moment and sequenced a
    /// deposit of its own that the cluster never commits (its journal holds it back): <see cref="Own"/> is that deposit's
    /// pending reply, <see cref="Committed"/> the log whose last command (the leader's deposit) the replica has not seen.
    /// </summary>
    private sealed record ReplicaThatLed(List<EngineCommand> Committed, int Defaults, HeldJournal Journal, EngineRunner Replica, Task Own) : IAsyncDisposable
    {
        public static async Task<ReplicaThatLed> StartAsync()
        {
            var committed = await LogWithDepositAsync();
            var defaults = committed.Count - 1;
            var journal = new HeldJournal();
            var replica = new EngineRunner(new TradingEngine(), journal);
            replica.Start();
            var applied = replica.ApplyReplicatedAsync(committed.Take(defaults).ToList());
            await WaitUntil(() => journal.Count == 1);
            journal.Batches[0].Release();
            Assert.Equal(committed[defaults - 1].Sequence, await applied);
            var own = replica.SubmitAsync(new PostLedger(DemoDefaults.HedgingLogin, LedgerKind.Deposit, 300m));
            await WaitUntil(() => journal.Count == 2);
            return new ReplicaThatLed(committed, defaults, journal, replica, own);
        }

        public ValueTask DisposeAsync() => Replica.DisposeAsync();
    }

    [Fact]
    public async Task A_committed_entry_over_commands_the_engine_sequenced_itself_is_refused_and_changes_nothing()
    {
        await using var led = await ReplicaThatLed.StartAsync();
        var (committed, defaults, journal, replica, own) = led;
        // The cluster commits another leader's deposit where this one sequenced its own.
        var hashBefore = await replica.ExclusiveAsync(e => (e.LastSequence, e.StateHash()));

        var conflict = await Assert.ThrowsAsync<ReplicatedLogConflictException>(() => replica.ApplyReplicatedAsync([committed[^1]]).WaitAsync(Patience));

        Assert.Equal(defaults + 1, conflict.Sequence);
        Assert.Contains($"commands from sequence {defaults + 1} on, where this engine applied commands of its own", conflict.Message);
        Assert.Equal(hashBefore, await replica.ExclusiveAsync(e => (e.LastSequence, e.StateHash())));
        Assert.Equal(2, journal.Count); // nothing of the refused entry went to the journal
        Assert.False(own.IsCompleted);
    }

    [Fact]
    public async Task An_entry_delivered_again_does_not_count_the_engines_own_commands_as_taken_from_the_log()
    {
        await using var led = await ReplicaThatLed.StartAsync();
        var (committed, defaults, _, replica, _) = led;

        // An entry it already took (all skipped) leaves the engine's own deposit its own ...
        Assert.Equal(defaults + 1, await replica.ApplyReplicatedAsync(committed.TakeLast(2).Take(1).ToList()).WaitAsync(Patience));

        // ... so the leader's deposit at that sequence is still refused, not skipped as applied.
        var conflict = await Assert.ThrowsAsync<ReplicatedLogConflictException>(() => replica.ApplyReplicatedAsync([committed[^1]]).WaitAsync(Patience));
        Assert.Equal(defaults + 1, conflict.Sequence);
    }

    [Fact]
    public async Task Commands_the_engine_recovered_from_its_journal_are_skipped_and_the_rest_applied()
    {
        var committed = await LogWithDepositAsync();
        // A restarted replica: its journal held all but the last command; the log is delivered again from the start.
        var journal = new HeldJournal();
        await using var replica = new EngineRunner(Recovered(committed.SkipLast(1)), journal);
        replica.Start();

        var applied = replica.ApplyReplicatedAsync(committed);
        await WaitUntil(() => journal.Count == 1);
        Assert.Equal([committed[^1].Sequence], journal.Batches[0].Commands.Select(c => c.Sequence));
        journal.Batches[0].Release();
        Assert.Equal(committed[^1].Sequence, await applied);
        // Delivered again (an overlapping entry): everything is at or below what it took from the log, so nothing happens.
        Assert.Equal(committed[^1].Sequence, await replica.ApplyReplicatedAsync(committed.TakeLast(2).ToList()));
        Assert.Equal(1, journal.Count);
    }

    [Fact]
    public async Task A_committed_entry_past_a_gap_is_refused()
    {
        var committed = await LogWithDepositAsync();
        var journal = new HeldJournal();
        await using var replica = new EngineRunner(Recovered(committed.SkipLast(2)), journal);
        replica.Start();

        var gap = await Assert.ThrowsAsync<ReplicatedLogConflictException>(() => replica.ApplyReplicatedAsync([committed[^1]]).WaitAsync(Patience));
        Assert.Equal(committed[^2].Sequence, gap.Sequence);
        var jump = await Assert.ThrowsAsync<ReplicatedLogConflictException>(() => replica.ApplyReplicatedAsync([committed[^3], committed[^1]]).WaitAsync(Patience));
        Assert.Contains($"jump from sequence {committed[^3].Sequence} to {committed[^1].Sequence}", jump.Message);
        Assert.Equal(committed[^3].Sequence, await replica.ExclusiveAsync(e => e.LastSequence));
        Assert.Equal(0, journal.Count);
    }

    [Fact]
    public async Task A_replicated_command_the_engine_refuses_stops_the_engine_and_raises_Faulted()
    {
        var committed = await LogWithDepositAsync();
        var journal = new HeldJournal();
        var replica = new EngineRunner(new TradingEngine(), journal);
        Exception? faulted = null;
        replica.Faulted += ex => faulted = ex;
        replica.Start();

        // The deposit without the default before it: its account does not exist here, as if an entry had been lost.
        var refused = replica.ApplyReplicatedAsync([committed[^1]]);
        Assert.IsType<ReplicatedLogConflictException>(await Assert.ThrowsAnyAsync<Exception>(() => refused.WaitAsync(Patience)));
        Assert.Null(faulted); // a gap is refused before anything is applied; the engine goes on

        var first = committed[0];
        var unknown = new PostLedger(999_999, LedgerKind.Deposit, 1m);
        unknown.Stamp(first.Sequence, first.Time);
        var failed = replica.ApplyReplicatedAsync([unknown]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Patience));
        await WaitUntil(() => faulted is not null);
        Assert.Equal(EngineState.Faulted, replica.State);
        Assert.Contains("Replicated command 1", faulted!.Message);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
