using Dealwire.Cluster.Replication;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence;
using Dealwire.Persistence.Recovery;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Dealwire.Cluster.Tests.Replication;

/// <summary>
/// A leader's entry carries the term its commands were sequenced in. DotNext raises its term a moment before it leaves
/// the leader state, and still appends meanwhile: an entry stamped with the new term would stand in the deposed
/// leader's log where the new leader's entry of that index and term differs (Raft takes the two for the same entry),
/// and be applied there as committed. Session 16's divergence after a paused leader came back had that shape.
/// </summary>
public sealed class ProposalTermTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dealwire-proposal-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Commands_sequenced_when_the_term_has_moved_on_are_not_proposed_in_the_new_term_and_the_replica_fail_stops()
    {
        var store = DurableStore.Open(_dir, new DurabilityOptions(), NullLogger.Instance);
        var raft = new ConsensusStandIn { Term = 5 };
        var journal = new ReplicatedJournal(store.Journal, store.Journal, NullLogger.Instance);
        Exception? faulted = null;
        journal.Faulted += ex => faulted = ex;
        journal.Start(raft, () => long.MaxValue);
        journal.OnLeadershipGained(5);
        for (var i = 0; i < 500 && !journal.Accepting; i++) await Task.Delay(10);
        Assert.Equal(5, journal.AcceptingTerm);
        var runner = new EngineRunner(new TradingEngine(), journal) { Gate = journal };
        runner.Start();

        // A new leader was elected in term 6: DotNext knows the term, this node has not been told yet that it lost.
        raft.Term = 6;
        var submit = runner.SubmitAsync(DemoDefaults.Commands()[0]);

        var failure = await Assert.ThrowsAnyAsync<IOException>(() => submit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("did not commit", failure.Message);
        Assert.True(journal.HasFaulted);
        Assert.Contains("term 5", faulted?.Message);
        Assert.Equal([5L], raft.Proposed); // the term-start marker only: no entry of term 6
        await runner.StopAsync();
        await journal.DisposeAsync();
        await store.CloseAsync();
    }

    [Fact]
    public async Task A_leader_in_its_term_proposes_with_that_term_and_releases_once_the_entry_is_applied()
    {
        var store = DurableStore.Open(_dir, new DurabilityOptions(), NullLogger.Instance);
        var raft = new ConsensusStandIn { Term = 3 };
        var journal = new ReplicatedJournal(store.Journal, store.Journal, NullLogger.Instance);
        raft.Applied = (first, term) => journal.TakeProposed(first, term);
        journal.Start(raft, () => long.MaxValue);
        journal.OnLeadershipGained(3);
        for (var i = 0; i < 500 && !journal.Accepting; i++) await Task.Delay(10);
        var runner = new EngineRunner(new TradingEngine(), journal) { Gate = journal };
        runner.Start();

        var result = await runner.SubmitAsync(DemoDefaults.Commands()[0]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.IsOk);
        Assert.Equal([3L, 3L], raft.Proposed);
        Assert.False(journal.HasFaulted);
        await runner.StopAsync();
        await journal.DisposeAsync();
        await store.CloseAsync();
    }

    [Fact]
    public async Task A_leadership_whose_term_has_moved_on_before_it_opens_does_not_open_and_appends_no_marker()
    {
        var store = DurableStore.Open(_dir, new DurabilityOptions(), NullLogger.Instance);
        var raft = new ConsensusStandIn { Term = 8 };
        var journal = new ReplicatedJournal(store.Journal, store.Journal, NullLogger.Instance);
        journal.Start(raft, () => long.MaxValue);

        journal.OnLeadershipGained(7); // elected in 7; by the time the term opens, term 8 has begun elsewhere
        journal.OnLeadershipGained(8);
        for (var i = 0; i < 500 && !journal.Accepting; i++) await Task.Delay(10);

        Assert.Equal(8, journal.AcceptingTerm);
        Assert.Equal([8L], raft.Proposed);
        await journal.DisposeAsync();
        await store.CloseAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A leader whose every entry commits at once; the test moves its term.</summary>
    private sealed class ConsensusStandIn : IConsensusLog
    {
        public long Term { get; set; }

        public long LastCommittedIndex => 0;

        public List<long> Proposed { get; } = [];

        /// <summary>The state machine's part: called with each committed entry's first sequence and term.</summary>
        public Action<long, long>? Applied { get; set; }

        public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);

        public ValueTask ReplicateAsync(BinaryLogEntry entry, CancellationToken cancellationToken)
        {
            lock (Proposed) Proposed.Add(entry.Term);
            var payload = entry.Content.ToArray();
            if (Persistence.Journal.BatchPayload.Decode(payload).Count > 0) Applied?.Invoke(Persistence.Journal.BatchPayload.FirstSequence(payload), entry.Term);
            return ValueTask.CompletedTask;
        }
    }
}
