using Dealwire.ReadModel.History;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// A fresh, empty history database for one test: an SQLite file in a temporary directory, or a new database on the
/// real PostgreSQL that <c>scripts/setup.sh</c> starts (connection from <c>DEALWIRE_TEST_POSTGRES</c>, default the
/// local cluster with the setup script's test role). Dropped on dispose.
/// </summary>
public sealed class HistoryDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "DEALWIRE_TEST_POSTGRES";

    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=dealwire;Password=dealwire;Database=dealwire_test";

    /// <summary>Both providers, for <c>[MemberData]</c> theories.</summary>
    public static TheoryData<HistoryProvider> Providers => new() { HistoryProvider.Sqlite, HistoryProvider.PostgreSql };

    private readonly string? _postgresDatabase;

    private HistoryDatabase(HistoryProvider provider, string directory, string connectionString, string? postgresDatabase)
    {
        Provider = provider;
        Directory = directory;
        ConnectionString = connectionString;
        _postgresDatabase = postgresDatabase;
    }

    public HistoryProvider Provider { get; }

    /// <summary>A temporary directory (the SQLite file's home, or a data directory for the test's own use).</summary>
    public string Directory { get; }

    public string ConnectionString { get; }

    public HistoryOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    /// <summary>A new store object on this database (several may be open, as after a restart).</summary>
    public IHistoryStore OpenStore() => HistoryStores.Create(Options, Directory);

    public static string AdminConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : DefaultPostgres;

    public static async Task<HistoryDatabase> CreateAsync(HistoryProvider provider)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dealwire-history-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        if (provider == HistoryProvider.Sqlite) return new HistoryDatabase(provider, dir, $"Data Source={Path.Combine(dir, "history.db")}", null);

        var name = "dw_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with {PostgresVariable} or the default '{DefaultPostgres}': run scripts/setup.sh (as root) first. {ex.Message}", ex);
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new HistoryDatabase(provider, dir, builder.ConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 10)
                {
                    // A backend of another role is in the database for a moment (autovacuum on a busy machine), and FORCE
                    // may not terminate it as this role: it leaves on its own, so ask again.
                    await Task.Delay(200);
                }
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
