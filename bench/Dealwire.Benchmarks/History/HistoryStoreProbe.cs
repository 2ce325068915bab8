using System.Diagnostics;
using System.Globalization;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Npgsql;

namespace Dealwire.Benchmarks.History;

/// <summary>
/// <c>--history-store-probe PROVIDER DEALS [LANES]</c>: the history store's two targets on a real database, PostgreSQL
/// writing on LANES connections at once (<c>History:Lanes</c>).
/// (1) Projector throughput: closed deals, each with its trading-result ledger entry, written through the store's
/// own write path (binary COPY on PostgreSQL, one transaction of prepared inserts on SQLite) in runs of 20 000 deals,
/// as the projector folds batches; deals per second of wall time. (2) The seed goes on to DEALS deals over 1 000
/// logins; then a page of 100 rows of one login (newest first, then a cursor page in the middle, then an offset page)
/// is read 200 times each: median and p95 latency. The database is created for the run and dropped after it.
/// PostgreSQL: <c>DEALWIRE_BENCH_POSTGRES</c> (default the test cluster's role, as the tests use).
/// </summary>
internal static class HistoryStoreProbe
{
    private static class Phases { public static double Fold, Write, WriteCpu; }

    private const int Logins = 1_000;
    private const int PerTransaction = 20_000;
    private const long Start = 1_767_225_600_000; // 2026-01-01 UTC

    public static void Run(TextWriter output, string provider, long deals, int lanes) =>
        RunAsync(output, Enum.Parse<HistoryProvider>(provider, true), deals, lanes).GetAwaiter().GetResult();

    private static async Task RunAsync(TextWriter output, HistoryProvider provider, long deals, int lanes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dw-history-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string? database = null;
        var admin = Environment.GetEnvironmentVariable("DEALWIRE_BENCH_POSTGRES") is { Length: > 0 } s
            ? s : "Host=127.0.0.1;Port=5432;Username=dealwire;Password=dealwire;Database=dealwire_test";
        var options = new HistoryOptions { Provider = provider, Lanes = lanes };
        if (provider == HistoryProvider.PostgreSql)
        {
            database = "dw_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecAsync(admin, $"CREATE DATABASE {database}");
            options.ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, CommandTimeout = 600 }.ConnectionString;
        }
        try
        {
            await using var store = HistoryStores.Create(options, dir);
            await store.OpenAsync();
            output.WriteLine($"provider {provider}, {(provider == HistoryProvider.PostgreSql ? $"{lanes} lane(s), " : "")}target {deals:N0} deals over {Logins:N0} logins, load average {LoadAverage.Now()}");

            long written = 0;
            var throughputDeals = Math.Min(deals, 200_000);
            // Wall time on a shared machine measures waiting for a core too: CPU seconds of this process and of every
            // postgres process (an upper bound: other clients of the cluster count too) give a load-independent figure.
            var clientBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var databaseBefore = PostgresCpuSeconds();
            var clock = Stopwatch.StartNew();
            while (written < throughputDeals) written = await WriteRunAsync(store, written);
            clock.Stop();
            var client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientBefore;
            var databaseCpu = PostgresCpuSeconds() - databaseBefore;
            var cpu = client + databaseCpu;
            output.WriteLine($"projector write: {written:N0} deals (+ {written:N0} ledger rows) in {clock.Elapsed.TotalSeconds:F2} s = {written / clock.Elapsed.TotalSeconds:N0} deals/s wall; " +
                $"{cpu:F2} CPU s (client {client:F2} + database {databaseCpu:F2}) = {written / cpu:N0} deals per CPU second, load average {LoadAverage.Now()}; wall in folding {Phases.Fold:F2} s, in the store {Phases.Write:F2} s ({Phases.WriteCpu:F2} CPU s of this process)");

            clock.Restart();
            var lastReport = written;
            while (written < deals)
            {
                written = await WriteRunAsync(store, written);
                if (written - lastReport >= 1_000_000)
                {
                    lastReport = written;
                    output.WriteLine($"  seeded {written:N0} ({(written - throughputDeals) / clock.Elapsed.TotalSeconds:N0} deals/s), load average {LoadAverage.Now()}");
                }
            }
            output.WriteLine($"seeded {written:N0} deals in {clock.Elapsed.TotalSeconds:F1} s (rest of the seed, same path)");
            if (provider == HistoryProvider.PostgreSql) await ExecAsync(options.ConnectionString, "VACUUM ANALYZE deals");
            else await ExecSqliteAsync(dir, "ANALYZE");

            const long login = Logins / 2;
            var newest = new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, Limit = 100, NewestFirst = true };
            var all = (await store.GetTradesAsync(newest with { Limit = int.MaxValue })).Rows;
            // The middle row, or earlier when the login is small, so a full page of 100 always follows it.
            var middle = all[Math.Min(all.Count / 2, Math.Max(0, all.Count - 101))];
            var cursor = newest with { After = new HistoryCursor(middle.CloseTime, middle.Ticket) };
            var offset = newest with { Offset = Math.Min(all.Count / 2, Math.Max(0, all.Count - 100)) };
            output.WriteLine($"login {login} has {all.Count:N0} deals of {written:N0}");
            foreach (var (name, query) in new[] { ("newest 100", newest), ("cursor page mid-history", cursor), ("offset page mid-history", offset) })
            {
                var times = new List<double>();
                for (var i = 0; i < 220; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    var page = await store.GetTradesAsync(query);
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    if (page.Rows.Count != 100) throw new InvalidOperationException($"{name}: {page.Rows.Count} rows");
                    if (i >= 20) times.Add(ms); // the first reads warm the cache and the connection pool
                }
                times.Sort();
                output.WriteLine($"page of 100 ({name}): median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, load average {LoadAverage.Now()}");
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (database is not null)
            {
                // Autovacuum may still be in the new database after the bulk load: wait for it instead of forcing.
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await ExecAsync(admin, $"DROP DATABASE IF EXISTS {database}");
                        break;
                    }
                    catch (PostgresException) when (attempt < 30)
                    {
                        await Task.Delay(1000);
                    }
                }
            }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>One projector transaction: <see cref="PerTransaction"/> closed deals with their ledger entries, one command each.</summary>
    private static async Task<long> WriteRunAsync(IHistoryStore store, long written)
    {
        // Deal n is the command of sequence n: tickets, ledger ids and sequences all count deals.
        var events = new List<EngineEvent>(PerTransaction * 2);
        var commands = new EngineCommand[PerTransaction];
        var first = written + 1;
        for (var i = 0; i < PerTransaction; i++)
        {
            var n = ++written;
            var s = n;
            var login = n % Logins;
            var close = Start + n * 250; // 4 deals a second across the server
            var profit = (n % 2001 - 1000) / 100m;
            var deal = new TradeEvent(RecordChange.CloseTrade, new TradeRecord
            {
                Ticket = n, Login = login, Symbol = "EURUSD", Digits = 5, Command = (TradeCommand)(n % 2), Volume = 10,
                State = TradeState.ClosedNormal, OpenTime = close - 60_000, OpenPrice = 1.10000m, CloseTime = close, ClosePrice = 1.10010m,
                Profit = profit, Comment = "bench", UpdateTime = close,
            }) { Sequence = s, Time = close };
            var entry = new BalanceEvent(new LedgerEntry
            {
                Id = n, Login = login, Kind = LedgerKind.TradingResult, Amount = profit, BalanceAfter = 10_000m + profit, Ticket = n,
                Comment = "bench", Time = close, Actor = "user:" + login,
            }, new MarginSnapshot { Login = login, Group = "demo", Currency = "USD", Leverage = 100 }) { Sequence = s, Time = close };
            events.Add(deal);
            events.Add(entry);
            // A trader's close (not audited), as the journal carries it.
            var command = new ClosePosition(login, n) { Actor = "user:" + login };
            command.Stamp(s, close);
            commands[i] = command;
        }
        var batch = new CommittedBatch(first, written, commands, events);
        var t0 = Stopwatch.GetTimestamp();
        var changes = HistoryChanges.From([batch]);
        var t1 = Stopwatch.GetTimestamp();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        await store.ApplyAsync(changes);
        Phases.WriteCpu += Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpu0;
        Phases.Fold += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        Phases.Write += Stopwatch.GetElapsedTime(t1).TotalSeconds;
        return written;
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 1200 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task ExecSqliteAsync(string dir, string sql)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "history.db")}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>User + system CPU seconds of every process named postgres (Linux /proc; 0 elsewhere).</summary>
    private static double PostgresCpuSeconds()
    {
        if (!Directory.Exists("/proc")) return 0;
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(0, close).Contains("(postgres", StringComparison.Ordinal)) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return ticks / 100.0; // USER_HZ
    }
}
