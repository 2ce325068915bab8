using Dealwire.ReadModel.History.PostgreSql;
using Dealwire.ReadModel.History.Sqlite;

namespace Dealwire.ReadModel.History;

/// <summary>Builds the configured history store.</summary>
public static class HistoryStores
{
    /// <summary>The store <paramref name="options"/> name; SQLite defaults to <c>history.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static IHistoryStore Create(HistoryOptions options, string dataDirectory) => options.Provider switch
    {
        HistoryProvider.Sqlite => string.IsNullOrWhiteSpace(options.ConnectionString)
            ? SqliteHistoryStore.ForDataDirectory(dataDirectory)
            : new SqliteHistoryStore(options.ConnectionString),
        HistoryProvider.PostgreSql => string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException("History:ConnectionString is required when History:Provider is PostgreSql.")
            : new PostgresHistoryStore(options.ConnectionString, options.Lanes switch
            {
                1 or 2 => options.Lanes,
                _ => throw new InvalidOperationException($"History:Lanes must be 1 or 2, not {options.Lanes}."),
            }),
        _ => throw new InvalidOperationException($"History:Provider must be Sqlite or PostgreSql, not {options.Provider}."),
    };
}
