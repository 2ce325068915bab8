namespace Dealwire.ReadModel.History;

/// <summary>
/// The write side of the history store, used by the projector and by <c>dealwire history rebuild</c>. Every
/// <see cref="ApplyAsync"/> is one transaction that also stores the last applied sequence, so a crash at any
/// point leaves the rows and the sequence in agreement (exactly once).
/// </summary>
public interface IHistoryStore : IHistoryReader, IHistoryReports, IAsyncDisposable
{
    /// <summary>Creates the schema if missing and loads <see cref="IHistoryReader.AppliedSequence"/> from <c>projector_state</c>.</summary>
    Task OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Re-reads the stored sequence (after an error the in-memory figure may be behind a commit that did land).</summary>
    Task<long> ReadAppliedSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The furthest any part of the store holds. Above <see cref="IHistoryReader.AppliedSequence"/> only when a crash fell
    /// between the commits of the store's lanes (<c>History:Lanes</c>): the next run written must then end at this
    /// sequence, so the lane behind catches up and the lane ahead skips it whole.
    /// </summary>
    long LeadingSequence { get; }

    /// <summary>
    /// Writes the rows and moves <c>projector_state</c> to <see cref="HistoryChanges.LastSequence"/>, atomically for each
    /// lane (its rows with its own row of <c>projector_state</c>); a lane that already holds the whole run skips it.
    /// </summary>
    Task ApplyAsync(HistoryChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Empties every table and sets the applied sequence to 0 (rebuild).</summary>
    Task ResetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when a reader waits in <see cref="IHistoryReader.WaitForAsync"/> for a sequence not yet stored (at
    /// once while one does): the projector then stops gathering batches and writes.
    /// </summary>
    Task ReaderArrival { get; }
}

/// <summary>Reports beyond trades and ledger: end-of-day figures, the audit log and candles.</summary>
public interface IHistoryReports
{
    /// <summary>End-of-day rows of one login (or every login when null) for days in [from, to].</summary>
    Task<IReadOnlyList<EndOfDayRow>> GetEndOfDayAsync(long? login, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Audit rows with sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditRow>> GetAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Bid candles of a symbol and timeframe (minutes) with period start in [from, to], oldest first.</summary>
    Task<IReadOnlyList<Candle>> GetCandlesAsync(string symbol, int timeframe, long from, long to, CancellationToken cancellationToken = default);

    /// <summary>The store's login directory (group, currency) as last projected.</summary>
    Task<HistoryAccount?> FindAccountAsync(long login, CancellationToken cancellationToken = default);
}
