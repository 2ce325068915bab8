using System.Diagnostics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Dealwire.ReadModel.Tests.Stream;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The projector subscribes only once its database is open, after the engine has started committing. A server without
/// a journal (<c>Durability None</c>) has no backfill, and by default keeps no read tail: what was committed meanwhile
/// must still reach the store (before the projector held its place, a load test's server failed at start with "the
/// journal ends at sequence 0" and wrote no history at all).
/// </summary>
public sealed class ProjectorStartTests : IAsyncLifetime
{
    private HistoryDatabase _db = null!;
    private readonly EngineStream _engine = new();

    public async Task InitializeAsync() => _db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task What_is_committed_before_the_database_opens_reaches_the_store_without_a_backfill_or_a_tail()
    {
        await using var stream = new CommittedStream(0, new CommittedStreamOptions { RetainSequences = 0 });
        await using var store = _db.OpenStore();
        // Built with the host, before the engine runs; started (and subscribed) later.
        await using var projector = new HistoryProjector(store, stream, _db.Options, NullLogger<HistoryProjector>.Instance);

        // Another consumer reads everything at once, which lets go of what nobody else waits for.
        var live = new RecordingConsumer();
        using var subscription = stream.Subscribe("live-view", 0, live);
        var login = _engine.Account(1000m);
        stream.OnCommitted(_engine.Cut()!);
        for (var i = 0; i < 20; i++)
        {
            _engine.Ok(new PostLedger(login, LedgerKind.Deposit, 1m) { Comment = $"before the store opened {i}" });
            stream.OnCommitted(_engine.Cut()!);
        }
        var last = stream.PublishedSequence;
        await live.WaitForAsync(last).WaitAsync(TimeSpan.FromSeconds(10));

        projector.Start();
        var watch = Stopwatch.StartNew();
        while (store.AppliedSequence < last)
        {
            var history = stream.GetConsumers().SingleOrDefault(c => c.Name == HistoryProjector.SubscriptionName);
            Assert.True(history?.State != "faulted", $"the projector's subscription faulted: {history?.Error}");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the store reached {store.AppliedSequence}, not {last}");
            await Task.Delay(10);
        }
        var ledger = await store.GetLedgerAsync(new HistoryQuery { Login = login });
        Assert.Equal(20, ledger.Rows.Count(e => e.Comment?.StartsWith("before the store opened", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task A_store_the_stream_cannot_catch_up_stops_the_projector_with_the_reason_in_its_error()
    {
        // Recovered at sequence 50 with no journal to backfill from: an empty store (sequence 0) can never be caught up.
        await using var stream = new CommittedStream(50, new CommittedStreamOptions { RetainSequences = 0 });
        await using var store = _db.OpenStore();
        await using var projector = new HistoryProjector(store, stream, _db.Options, NullLogger<HistoryProjector>.Instance);
        await StartUntilErrorAsync(projector);
        Assert.StartsWith("stopped: ", projector.LastError);
        Assert.Contains("after sequence 0", projector.LastError);
        Assert.False(projector.Running);
        Assert.Equal(0, stream.HoldCount);
    }

    [Fact]
    public async Task A_store_ahead_of_this_server_journal_stops_the_projector_instead_of_mixing_two_histories()
    {
        // Another server's history: 21 commands stored.
        await using (var other = _db.OpenStore())
        {
            await other.OpenAsync();
            var login = _engine.Account(1000m);
            for (var i = 0; i < 20; i++) _engine.Ok(new PostLedger(login, LedgerKind.Deposit, 1m) { Comment = "the other server's" });
            await other.ApplyAsync(HistoryChanges.From([_engine.Cut()!]));
        }
        var stored = _engine.Engine.LastSequence;

        // This server recovered to sequence 5, with the stream keeping everything, and is pointed at that store.
        const long recovered = 5;
        await using var stream = new CommittedStream(recovered, new CommittedStreamOptions { RetainSequences = 1_000_000 });
        await using var store = _db.OpenStore();
        await using var projector = new HistoryProjector(store, stream, _db.Options, NullLogger<HistoryProjector>.Instance);
        await StartUntilErrorAsync(projector);
        Assert.Equal($"stopped: the history store is at sequence {stored}, ahead of this server's journal (sequence {recovered}): it holds commands " +
            "this server never ran. Point History:ConnectionString at this server's own store, or run dealwire history rebuild", projector.LastError);
        Assert.False(projector.Running);
        // It never subscribed, and its place held since start is let go: the stream keeps nothing for it.
        Assert.DoesNotContain(stream.GetConsumers(), c => c.Name == HistoryProjector.SubscriptionName);
        Assert.Equal(0, stream.HoldCount);
        Assert.Equal(stored, store.AppliedSequence);
    }

    /// <summary>Starts the projector and waits for its error (it must say why it stops rather than go on silently).</summary>
    private static async Task StartUntilErrorAsync(HistoryProjector projector)
    {
        projector.Start();
        var watch = Stopwatch.StartNew();
        while (projector.LastError is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the projector neither wrote nor said why it stopped");
            await Task.Delay(10);
        }
    }
}
