using System.Diagnostics;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// <c>History:CommitInterval</c>: batches arriving within the interval after a transaction began share the next one,
/// and nothing that waits for the store (a reader's read-your-writes, a full transaction's worth, shutdown) waits for
/// the interval.
/// </summary>
public sealed class ProjectorCommitIntervalTests : IAsyncLifetime
{
    private HistoryDatabase _db = null!;
    private readonly EngineStream _engine = new();
    private readonly CommittedStream _stream = new(0);
    private long _login;

    public async Task InitializeAsync() => _db = await HistoryDatabase.CreateAsync(HistoryProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _stream.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Batches_arriving_within_the_interval_share_one_transaction()
    {
        await using var pipeline = Start(TimeSpan.FromSeconds(3));
        var setUp = PublishSetUp(pipeline);
        await WaitForStoreAsync(pipeline, setUp);

        var batches = new[] { Deposit(), Deposit(), Deposit() };
        var seen = new HashSet<long>();
        var watch = Stopwatch.StartNew();
        while (pipeline.Store.AppliedSequence < batches[^1].LastSequence)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the gathered batches were never written");
            seen.Add(pipeline.Store.AppliedSequence);
            await Task.Delay(2);
        }
        seen.Add(pipeline.Store.AppliedSequence);

        // One transaction: the store went from the set-up straight to the last batch, never through the first two.
        Assert.Equal([setUp, batches[^1].LastSequence], seen.Order());
    }

    [Fact]
    public async Task A_reader_waiting_for_its_write_does_not_wait_for_the_interval_nor_does_shutdown()
    {
        var pipeline = Start(TimeSpan.FromSeconds(60));
        var setUp = PublishSetUp(pipeline);
        await WaitForStoreAsync(pipeline, setUp);

        var deposit = Deposit();
        await Task.Delay(200);
        Assert.Equal(setUp, pipeline.Store.AppliedSequence); // gathering
        // A history read waits for the stream's published sequence (read-your-writes): the projector writes for it.
        var ledger = await pipeline.Reader.GetLedgerAsync(new HistoryQuery { Login = _login }).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(ledger.Rows, e => e.Comment == "gathered");
        Assert.Equal(deposit.LastSequence, pipeline.Store.AppliedSequence);

        // Gathering again for a minute: stopping the server does not wait for it.
        Deposit();
        await pipeline.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_full_transaction_queued_is_written_without_waiting_for_the_interval()
    {
        await using var pipeline = Start(TimeSpan.FromSeconds(60), maxBatchCommands: 3);
        var setUp = PublishSetUp(pipeline);
        await WaitForStoreAsync(pipeline, setUp);

        CommittedBatch last = null!;
        for (var i = 0; i < 3; i++) last = Deposit();
        await WaitForStoreAsync(pipeline, last.LastSequence);
    }

    [Fact]
    public async Task A_transaction_that_fills_up_while_the_projector_gathers_is_written_without_waiting_for_the_interval()
    {
        await using var pipeline = Start(TimeSpan.FromSeconds(60), maxBatchCommands: 3);
        var setUp = PublishSetUp(pipeline);
        await WaitForStoreAsync(pipeline, setUp);

        // One deposit, then time for the projector to start gathering it (a minute's interval) before the rest arrive.
        Deposit();
        await Task.Delay(300);
        Assert.Equal(setUp, pipeline.Store.AppliedSequence);
        Deposit();
        var last = Deposit();
        await WaitForStoreAsync(pipeline, last.LastSequence);
    }

    private HistoryPipeline Start(TimeSpan interval, int maxBatchCommands = 20_000)
    {
        var options = _db.Options;
        options.CommitInterval = interval;
        options.MaxBatchCommands = maxBatchCommands;
        return HistoryPipeline.Start(_db.OpenStore(), _stream, options);
    }

    /// <summary>The demo set-up and an account as the first batch (written at once: no transaction began before it).</summary>
    private long PublishSetUp(HistoryPipeline pipeline)
    {
        _login = _engine.Account(1000m);
        var batch = _engine.Cut()!;
        _stream.OnCommitted(batch);
        return batch.LastSequence;
    }

    private CommittedBatch Deposit()
    {
        _engine.Ok(new PostLedger(_login, LedgerKind.Deposit, 1m) { Comment = "gathered" });
        var batch = _engine.Cut()!;
        _stream.OnCommitted(batch);
        return batch;
    }

    private static async Task WaitForStoreAsync(HistoryPipeline pipeline, long sequence)
    {
        var watch = Stopwatch.StartNew();
        while (pipeline.Store.AppliedSequence < sequence)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the store did not reach sequence {sequence} in 10 s");
            await Task.Delay(5);
        }
    }
}
