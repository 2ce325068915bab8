using Dealwire.Engine.Model;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.History;

/// <summary>
/// The history reader the gateways get: before each read it waits until the store holds every batch the stream had
/// published when the read began, so a client that saw its write acknowledged (replies leave after publication) always
/// reads it back. The wait is one projector write at most; past <see cref="Timeout"/> the read fails rather than
/// answer from a store that is behind (the database is down: <c>/health</c> says so). When the store's projector has
/// stopped for good (<see cref="HistoryProjector.Stopped"/>) a read that would wait fails at once with the reason: the
/// store will not move until it is rebuilt, and waiting out the timeout on every read only delays the same answer.
/// </summary>
public sealed class ReadYourWritesHistory(IHistoryStore store, ICommittedStream stream, HistoryProjector? projector = null) : IHistoryReader, IHistoryReports
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public long AppliedSequence => store.AppliedSequence;

    /// <summary>
    /// Waits for the store to hold <paramref name="sequence"/> under the rules of every read here: at most
    /// <see cref="Timeout"/>, and not at all once the projector has stopped; then fails with
    /// <see cref="HistoryUnavailableException"/>. (The store's own wait has no bound: a command waiting on it, GetLogs,
    /// never answered while the database was down.)
    /// </summary>
    public ValueTask WaitForAsync(long sequence, CancellationToken cancellationToken = default) =>
        store.AppliedSequence >= sequence ? ValueTask.CompletedTask : new ValueTask(CatchUpAsync(sequence, cancellationToken));

    private static readonly Task<string> NeverStops = new TaskCompletionSource<string>().Task;

    private Task CatchUpAsync(CancellationToken ct) => CatchUpAsync(stream.PublishedSequence, ct);

    private async Task CatchUpAsync(long target, CancellationToken ct)
    {
        if (store.AppliedSequence >= target) return;
        var stopped = projector?.Stopped ?? NeverStops;
        if (!stopped.IsCompleted)
        {
            var caughtUp = store.WaitForAsync(target, ct).AsTask();
            try
            {
                await Task.WhenAny(caughtUp, stopped).WaitAsync(Timeout, ct);
            }
            catch (TimeoutException)
            {
            }
            if (caughtUp.IsCompletedSuccessfully) return;
            ct.ThrowIfCancellationRequested();
        }
        if (store.AppliedSequence >= target) return;
        var why = stopped.IsCompleted ? $", and its projector has stopped ({stopped.Result}): run dealwire history rebuild" : "; try again later";
        throw new HistoryUnavailableException($"the history store is at sequence {store.AppliedSequence}, behind the committed {target}{why}");
    }

    public async Task<HistoryPage<TradeRecord>> GetTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.GetTradesAsync(query, cancellationToken);
    }

    public async Task<HistoryPage<LedgerEntry>> GetLedgerAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.GetLedgerAsync(query, cancellationToken);
    }

    public async Task<TradeRecord?> FindTradeAsync(long ticket, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.FindTradeAsync(ticket, cancellationToken);
    }

    public async Task<LedgerEntry?> FindLedgerEntryAsync(long id, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.FindLedgerEntryAsync(id, cancellationToken);
    }

    public async Task<long> CountTradesAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.CountTradesAsync(query, cancellationToken);
    }

    public async Task<IReadOnlyList<EndOfDayRow>> GetEndOfDayAsync(long? login, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.GetEndOfDayAsync(login, from, to, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRow>> GetAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.GetAuditAsync(afterSequence, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int timeframe, long from, long to, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.GetCandlesAsync(symbol, timeframe, from, to, cancellationToken);
    }

    public async Task<HistoryAccount?> FindAccountAsync(long login, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken);
        return await store.FindAccountAsync(login, cancellationToken);
    }
}

/// <summary>The history store could not serve a consistent read in time (database down or far behind).</summary>
public sealed class HistoryUnavailableException(string message) : Exception(message);

public static class HistoryReaderExtensions
{
    /// <summary>The group of a login per the store's own directory (null when the reader has none or the login is unknown).</summary>
    public static async Task<string?> FindAccountGroupAsync(this IHistoryReader reader, long login, CancellationToken cancellationToken = default) =>
        reader is IHistoryReports reports ? (await reports.FindAccountAsync(login, cancellationToken))?.Group : null;
}
