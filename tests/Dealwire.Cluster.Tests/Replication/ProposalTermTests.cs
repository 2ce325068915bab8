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
public sealed class ProposalTermTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dealwire-proposal-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConsensusStandIn _raft = new();
    private DurableStore _store = null!;
    private ReplicatedJournal _journal = null!;

    public Task InitializeAsync()
    {
        _store = DurableStore.Open(_dir, new DurabilityOptions(), NullLogger.Instance);
        _journal = new ReplicatedJournal(_store.Journal, _store.Journal, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _journal.DisposeAsync();
        await _store.CloseAsync();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Commands_sequenced_when_the_term_has_moved_on_are_not_proposed_in_the_new_term_and_the_replica_fail_stops()
    {
        Exception? faulted = null;
        _journal.Faulted += ex => faulted = ex;
        await LeadAsync(raftTerm: 5, gained: 5);
        Assert.Equal(5, _journal.AcceptingTerm);
        await using var runner = StartEngine();

        // A new leader was elected in term 6: DotNext knows the term, this node has not been told yet that it lost.
        _raft.Term = 6;
        var submit = runner.SubmitAsync(DemoDefaults.Commands()[0]);

        var failure = await Assert.ThrowsAnyAsync<IOException>(() => submit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("did not commit", failure.Message);
        Assert.True(_journal.HasFaulted);
        Assert.Contains("term 5", faulted?.Message);
        Assert.Equal([5L], _raft.Proposed); // the term-start marker only: no entry of term 6
    }

    [Fact]
    public async Task A_leader_in_its_term_proposes_with_that_term_and_releases_once_the_entry_is_applied()
    {
        _raft.Applied = (first, term) => _journal.TakeProposed(first, term);
        await LeadAsync(raftTerm: 3, gained: 3);
        await using var runner = StartEngine();

        var result = await runner.SubmitAsync(DemoDefaults.Commands()[0]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.IsOk);
        Assert.Equal([3L, 3L], _raft.Proposed);
        Assert.False(_journal.HasFaulted);
    }

    [Fact]
    public async Task A_leadership_whose_term_has_moved_on_before_it_opens_does_not_open_and_appends_no_marker()
    {
        // Elected in 7; by the time that term opens, term 8 has begun (and this node leads it too).
        await LeadAsync(raftTerm: 8, gained: [7, 8]);

        Assert.Equal(8, _journal.AcceptingTerm);
        Assert.Equal([8L], _raft.Proposed);
    }

    /// <summary>Starts the journal with Raft at <paramref name="raftTerm"/>, reports each leadership gained, and waits until one opens.</summary>
    private async Task LeadAsync(long raftTerm, params long[] gained)
    {
        _raft.Term = raftTerm;
        _journal.Start(_raft, () => long.MaxValue);
        foreach (var term in gained) _journal.OnLeadershipGained(term);
        for (var i = 0; i < 500 && !_journal.Accepting; i++) await Task.Delay(10);
    }

    /// <summary>An engine whose journal and gate are the replicated journal, as on a replica.</summary>
    private EngineRunner StartEngine()
    {
        var runner = new EngineRunner(new TradingEngine(), _journal) { Gate = _journal };
        runner.Start();
        return runner;
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
