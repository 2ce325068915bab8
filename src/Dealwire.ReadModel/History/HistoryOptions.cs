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

    /// <summary>Most commands (stream sequences) written in one transaction. Larger batches amortise the commit.</summary>
    public int MaxBatchCommands { get; set; } = 20_000;

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
