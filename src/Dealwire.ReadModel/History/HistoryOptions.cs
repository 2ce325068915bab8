namespace Dealwire.ReadModel.History;

/// <summary>Which database holds the history store.</summary>
public enum HistoryProvider
{
    /// <summary>An SQLite file in the data directory: the embedded default, nothing to install.</summary>
    Sqlite,
    /// <summary>PostgreSQL through Npgsql: production, shared with reporting tools.</summary>
    PostgreSql,
}

/// <summary>The <c>History:*</c> configuration section.</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Default <see cref="HistoryProvider.Sqlite"/>.</summary>
    public HistoryProvider Provider { get; set; } = HistoryProvider.Sqlite;

    /// <summary>
    /// Provider connection string. Empty with SQLite = <c>history.db</c> in the data directory; required with PostgreSQL.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <c>History:Lanes</c>: connections the PostgreSQL projector writes on at once, 1 or 2 (default 2). With 2, deals,
    /// orders, accounts and end-of-day rows go on one and the ledger, audit log, candles and ticks on the other, each
    /// exactly-once with its own <c>projector_state</c> row: one database backend works through a transaction alone, and
    /// a second one used the second core (docs/performance.md, "Round 2 session 22"). SQLite has one writer and always
    /// writes both lanes in one transaction.
    /// </summary>
    public int Lanes { get; set; } = 2;

    /// <summary>Most commands (stream sequences) written in one transaction. Larger batches amortise the commit.</summary>
    public int MaxBatchCommands { get; set; } = 20_000;

    /// <summary>
    /// <c>History:CommitInterval</c>: a transaction starts at most this long after the previous one began, so the
    /// batches that arrive meanwhile share it. Each transaction has a fixed cost (SQLite writes every page it
    /// dirtied, whole, to its WAL): on SQLite at 8 commands per transaction the projector spent 39 µs of CPU per
    /// command, at 512 per transaction 15 µs (docs/performance.md, "Round 2 session 13"). The store lags by up to this
    /// much more; a history read waiting for its own write (read-your-writes) or <see cref="MaxBatchCommands"/>
    /// queued commands start the transaction at once. Default 10 ms; zero writes each batch as soon as it arrives.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary><c>History:DefaultKeepTicksDays</c>: days of raw ticks kept while the server configuration's <c>keepticks</c> is 0.</summary>
    public int DefaultKeepTicksDays { get; set; } = 30;

    /// <summary><c>History:TickRetentionInterval</c>: how often ticks older than <c>keepticks</c> days are deleted.</summary>
    public TimeSpan TickRetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Committed-stream batches the projector buffers before it stops taking more (back-pressure on its subscription only).</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>First and longest wait between retries after a database error (doubles each time).</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromSeconds(5);
}
